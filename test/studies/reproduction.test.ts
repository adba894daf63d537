import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { REPORT, reproductionMarkdown } from '../../scripts/reproduction.js';
import { reproductionClaims } from '../../src/studies/reproduction.js';

describe('docs/reproduction.md', () => {
  const claims = reproductionClaims();
  it('is exactly what scripts/reproduction.ts generates from the code (run `npx tsx scripts/reproduction.ts --write` after changes)', () => {
    expect(readFileSync(REPORT, 'utf8')).toBe(reproductionMarkdown(claims));
  });
  it('covers every quantitative statement listed in issue 3', () => {
    const ids = claims.map((c) => c.id);
    for (const id of ['two-states-omega0', 'no-state-omega0', 'two-states-dz', 'degenerate-dz', 'max-energy', 'max-ergotropy', 'nv-045', 'nv-027', 'markov', 'bic-transient']) expect(ids).toContain(id);
    // the three documented differences (physics.md) are flagged as such
    expect(claims.filter((c) => c.verdict === 'differs').map((c) => c.id).sort()).toEqual(['bic-transient', 'degenerate-dz', 'no-state-omega0']);
  });
});
