/**
 * `qbwave sweep --scene FILE --vary PATH=VALUES [--vary2 PATH=VALUES]` (issue 13 item 5), run in
 * process from the sources (test/cli/inProcess.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inProcess } from './inProcess.js';

let root: string;
beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'qbw-scene-sweep-')); });
afterAll(() => { if (root) rmSync(root, { recursive: true, force: true }); });

const GUIDE = { type: 'waveguide', modes: ['TM11'] };
function pair(omega0: number): unknown {
  return { reservoir: GUIDE, emitters: [{ z: 0, omega0, gamma: 0.5, role: 'charger' }, { z: 0.1, omega0, gamma: 0.5, role: 'battery' }] };
}
let n = 0;
function file(content: unknown): string {
  const p = join(root, `scene${n++}.json`);
  writeFileSync(p, JSON.stringify(content));
  return p;
}

/** The data rows of a sweep CSV by column name. */
function table(path: string): Array<Record<string, number>> {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n').filter((l) => !l.startsWith('#'));
  const header = lines[0]!.split(',');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((c, k) => [header[k]!, Number(c)])));
}

describe('sweep --scene', () => {
  it('a pair scene swept over the battery position gives the two-emitter sweep\'s counts and steady state (a second, independent code: the ± channels of Eq. 7–8)', async () => {
    for (const omega0 of [0.8, 1.2, 2.5]) {
      const dz = '0.02,0.1,0.37,1,3.3';
      const a = join(root, `old${omega0}.csv`);
      const b = join(root, `scene${omega0}.csv`);
      const r1 = await inProcess(['sweep', '--omega0', String(omega0), '--dz', dz, '--out', a, '--threads', '1', '--quiet']);
      // The scene sweep's default quantities: boundStates, energyMinMax, ergotropyMax, effectiveCount (as the two-emitter sweep's).
      const r2 = await inProcess(['sweep', '--scene', file(pair(omega0)), '--vary', `emitters[1].z=${dz}`, '--out', b, '--threads', '1', '--quiet']);
      expect(r1.code, r1.message).toBe(0);
      expect(r2.code, r2.message).toBe(0);
      const old = table(a);
      const scene = table(b);
      expect(scene.map((r) => r['emitters[1].z'])).toEqual(old.map((r) => r.dz));
      // Counts are integers: equal exactly. The effective count compares the same residues Z± against
      // 0.014 (the scene's bank amplitude is Z± for a pair from |e1⟩); none of these points is within
      // 1e-6 of the threshold, so the two codes' last-digit differences cannot flip it.
      expect(scene.map((r) => r.count), `ω0 = ${omega0}`).toEqual(old.map((r) => r.count));
      expect(scene.map((r) => r.effectiveCount), `ω0 = ${omega0}`).toEqual(old.map((r) => r.effectiveCount));
      expect(scene.map((r) => r.degenerate), `ω0 = ${omega0}`).toEqual(old.map((r) => r.degenerate));
      // Steady bank energy range and ergotropy maximum: Eq. (8) from the ± channels vs sceneSteadyState
      // (measured ≤ 4.4e-16 on the steady --scene points; 10× that).
      for (const c of ['energyMin', 'energyMax', 'ergotropyMax']) {
        scene.forEach((r, k) => expect(Math.abs(r[c]! - old[k]![c]!), `${c} ω0 = ${omega0} Δz = ${r['emitters[1].z']}`).toBeLessThan(4.4e-15));
      }
    }
  });

  it('energyAt of a pair scene is the two-emitter sweep\'s energyAt (the pair path returns the same doubles); the ergotropy column is Eq. (5) of it', async () => {
    const a = join(root, 'oldE.csv');
    const b = join(root, 'sceneE.csv');
    await inProcess(['sweep', '--omega0', '1.5', '--dz', '0.1,0.4', '--quantities', 'energyAt=3;7', '--out', a, '--threads', '1', '--quiet', '--method', 'volterra', '--tol', '1e-7']);
    const r = await inProcess(['sweep', '--scene', file(pair(1.5)), '--vary', 'emitters[1].z=0.1,0.4', '--quantities', 'energyAt=3;7', '--out', b, '--threads', '1', '--quiet', '--method', 'volterra', '--tol', '1e-7']);
    expect(r.code, r.message).toBe(0);
    const old = table(a);
    const scene = table(b);
    for (let k = 0; k < 2; k++) {
      for (const t of [3, 7]) {
        expect(scene[k]![`energyAt_${t}`]).toBe(old[k]![`energyAt_${t}`]);
        const e = old[k]![`energyAt_${t}`]!;
        // One battery at ω = 1.5: W = max(0, 2E − ω) (Eq. 5 with |c|² = E/ω); rounding of the two forms only.
        expect(Math.abs(scene[k]![`ergotropyAt_${t}`]! - Math.max(0, 2 * e - 1.5))).toBeLessThan(1e-15);
      }
    }
  });

  it('two varied fields: index = i1·n2 + i2 (the first slowest); one thread and two threads write the same bytes', async () => {
    const f = file(pair(0.9));
    const a = join(root, 'two1.csv');
    const b = join(root, 'two2.csv');
    const args = ['--scene', f, '--vary', 'emitters[1].z=0.1:0.3:3', '--vary2', 'emitters[0].gamma=0.2,0.5', '--out'];
    expect((await inProcess(['sweep', ...args, a, '--threads', '1', '--quiet'])).code).toBe(0);
    expect((await inProcess(['sweep', ...args, b, '--threads', '2', '--quiet'])).code).toBe(0);
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
    const rows = table(a);
    expect(rows.map((r) => [r.index, r['emitters[1].z'], r['emitters[0].gamma']])).toEqual([
      [0, 0.1, 0.2], [1, 0.1, 0.5], [2, 0.2, 0.2], [3, 0.2, 0.5], [4, 0.3, 0.2], [5, 0.3, 0.5],
    ]);
    // Unequal Γ breaks the ± symmetry (general path); equal Γ = 0.5 is the pair. Both have 1 or 2 bound states below ω0 = 0.9 < ω11.
    for (const r of rows) expect([1, 2]).toContain(r.count);
  });
});

describe('sweep --scene: bad input is one line, exit 2, no file', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--vary', 'emitters[1].z=0:25:3'], /^--vary "emitters\[1\]\.z=0:25:3": value 25: scene\.emitters\[1\]\.z = 25 is not allowed/],
    [['--vary', 'emitters[1].loss=-1,0'], /value -1: scene\.emitters\[1\]\.loss = -1 is not allowed: must be a finite number in \[0, 5\]/],
    [['--vary', 'emitters[5].z=0,1'], /the scene has 2 emitters, emitters\[0\] … emitters\[1\]/],
    [['--vary', 'emitters[1].role=0,1'], /emitters\[1\]\.role is not a numeric field of this scene \(it is "battery"\)/],
    [['--vary', 'emitters[1].x=0,1'], /emitters\[1\]\.x is not a numeric field of this scene \(absent\)/],
    [['--vary', 'emitters.z=0,1'], /"emitters\.z" is not a path such as emitters\[2\]\.z/],
    [['--vary', 'emitters[1].z'], /must be PATH=VALUES/],
    [['--vary', 'emitters[1].z=1:0:3'], /STOP must be greater than START/],
    [['--vary', 'emitters[1].z=0,1', '--vary2', 'emitters[1].z=2,3'], /varies emitters\[1\]\.z again/],
    [[], /a scene sweep needs --vary PATH=VALUES/],
    [['--vary', 'emitters[1].z=0,1', '--omega0', '1'], /--scene and --omega0 cannot be used together/],
    [['--vary', 'emitters[1].z=0,1', '--vary', 'emitters[0].z=0,1', '--vary', 'emitters[0].gamma=0.5,1'], /^--vary: a scene sweep varies one or two fields .*here 3$/],
    [['--vary', 'emitters[1].z=0,1', '--vary', 'emitters[0].z=0,1', '--vary2', 'emitters[0].gamma=0.5,1'], /^--vary: a scene sweep varies one or two fields .*here 3$/],
    [['--vary', 'emitters[1].z=0,1', '--vary', 'emitters[1].z=2,3'], /^--vary "emitters\[1\]\.z=2,3": varies emitters\[1\]\.z again/],
    [['--vary2', 'emitters[1].z=0,1'], /^--vary2 "emitters\[1\]\.z=0,1": needs --vary/],
    [['--vary', 'emitters[1].z=0,1', '--quantities', 'resonance'], /resonance is not computed for scenes/],
  ];
  it.each(cases)('%j', async (extra, re) => {
    const dir = mkdtempSync(join(root, 'bad-'));
    const out = join(dir, 'out.csv');
    const r = await inProcess(['sweep', '--scene', file(pair(1)), ...extra, '--out', out, '--threads', '1', '--quiet']);
    expect(r.code, r.message).toBe(2);
    expect(r.message.split('\n')).toHaveLength(1);
    expect(r.message).toMatch(re);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a bad scene file is refused as for the other commands (path, value, allowed); .npz shards, --no-comments without .csv and --vary without --scene too', async () => {
    const dir = mkdtempSync(join(root, 'bad-'));
    const bad = file({ ...(pair(1) as object), initial: [[1, 0]] });
    const r = await inProcess(['sweep', '--scene', bad, '--vary', 'emitters[1].z=0,1', '--out', join(dir, 'o.csv'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.message).toMatch(/^--scene ".*": scene\.initial = \[\[1,0\]\] is not allowed: must be an array of 2 pairs/);
    const npz = await inProcess(['sweep', '--scene', file(pair(1)), '--vary', 'emitters[1].z=0,1', '--shard', '1/2', '--out', join(dir, 'o.npz'), '--quiet']);
    expect(npz.code).toBe(2);
    expect(npz.message).toMatch(/^--out ".*o\.npz" with --shard: an \.npz holds a complete grid/);
    const plainJson = await inProcess(['sweep', '--scene', file(pair(1)), '--vary', 'emitters[1].z=0,1', '--no-comments', '--out', join(dir, 'o.json'), '--quiet']);
    expect(plainJson.code).toBe(2);
    expect(plainJson.message).toMatch(/^--no-comments goes with a \.csv output/);
    const noScene = await inProcess(['sweep', '--omega0', '1', '--dz', '0.1', '--vary', 'emitters[1].z=0,1', '--out', join(dir, 'o.csv'), '--quiet']);
    expect(noScene.code).toBe(2);
    expect(noScene.message).toMatch(/--vary goes with --scene FILE/);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'o.csv'))).toBe(false);
  });
});
