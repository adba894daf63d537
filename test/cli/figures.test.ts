import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qbwave } from './run.js';
import { evaluatePoint, namedValues } from '../../src/studies/quantities.js';
import { FIG4_QUANTITIES } from '../../src/studies/fig4.js';
import { VERSION } from '../../src/version.js';
import { assertClose } from '../helpers.js';
import { decodePng } from '../e2e/helpers.js';
import { REGIME_COLOURS, REGIME_LABELS } from '../../src/studies/regimeColours.js';
import { parseColour } from '../../cli/sweep/heatmap.js';

/** A figure CSV: its `# ` header lines, column names and rows (numbers where numeric). */
function readCsv(path: string): { header: string[]; columns: string[]; rows: Array<Record<string, number | string>> } {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const header = lines.filter((l) => l.startsWith('# '));
  const body = lines.filter((l) => !l.startsWith('#'));
  const columns = body[0]!.split(',');
  const rows = body.slice(1).map((l) => {
    const cells = l.split(',');
    const r: Record<string, number | string> = {};
    columns.forEach((c, k) => { const x = cells[k]!; r[c] = x === 'NaN' || /^[-+0-9.eE]+$/.test(x) ? Number(x) : x; });
    return r;
  });
  return { header, columns, rows };
}

const marker = (header: string[], re: RegExp) => {
  const l = header.find((h) => re.test(h));
  return l ? Number(/= ([-0-9.e]+)\)/.exec(l)![1]) : Number.NaN;
};

describe('qbwave figures --quick (coarse grids, same code as the defaults)', () => {
  let dir = '';
  let run: ReturnType<typeof qbwave>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qbw-fig-'));
    run = qbwave(['figures', '--quick', '--out', dir, '--threads', '2'], { timeout: 120_000 });
  });

  it('exits 0 and writes SVG, PNG and 9 CSVs', () => {
    expect(run.code, run.stderr).toBe(0);
    for (const f of ['fig2', 'fig3', 'fig4']) {
      expect(readFileSync(join(dir, `${f}.svg`), 'utf8')).toMatch(/^<svg[^>]*>/);
      const png = readFileSync(join(dir, `${f}.png`));
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(png.length).toBeGreaterThan(20_000);
    }
    for (const t of ['fig2a_spectrum', 'fig2b_energy', 'fig2b_eq8', 'fig2b_markov', 'fig3a_boundstates', 'fig3a_longtime', 'fig3b_extremes', 'fig4ab_map', 'fig4c_max']) {
      expect(existsSync(join(dir, `${t}.csv`)), t).toBe(true);
    }
  });

  it('axes carry units (ω₀ (ω₁₁), Δz (λ₁₁), t (1/ω₁₁)) in the SVG', () => {
    const svg2 = readFileSync(join(dir, 'fig2.svg'), 'utf8');
    expect(svg2).toContain('ω₀ (ω₁₁)');
    expect(svg2).toContain('t (1/ω₁₁)');
    expect(readFileSync(join(dir, 'fig4.svg'), 'utf8')).toContain('Δz (λ₁₁)');
  });

  it('the written SVG and PNG are cropped to their content: PNG margins ≤ 12 px a side, SVG viewBox = PNG size / 2', () => {
    for (const f of ['fig2', 'fig3', 'fig4']) {
      const img = decodePng(readFileSync(join(dir, `${f}.png`)));
      const view = /^<svg[^>]* width="(\d+)" height="(\d+)" viewBox="-?\d+ -?\d+ (\d+) (\d+)"/.exec(readFileSync(join(dir, `${f}.svg`), 'utf8'));
      expect(view, f).not.toBeNull();
      expect([img.width, img.height]).toEqual([2 * Number(view![1]), 2 * Number(view![2])]);
      let x0 = img.width, x1 = -1, y0 = img.height, y1 = -1;
      for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) {
        const o = img.channels * (y * img.width + x);
        if (img.data[o]! < 255 || img.data[o + 1]! < 255 || img.data[o + 2]! < 255) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
      }
      for (const [side, m] of [['left', x0], ['top', y0], ['right', img.width - 1 - x1], ['bottom', img.height - 1 - y1]] as const) {
        expect(m, `${f} ${side} margin`).toBeLessThanOrEqual(12);
        expect(m, `${f} ${side}: cut off`).toBeGreaterThanOrEqual(6);
      }
    }
  });

  it('every CSV header records version, parameters, method and column units', () => {
    for (const t of ['fig2a_spectrum', 'fig3a_longtime', 'fig4ab_map']) {
      const { header, columns } = readCsv(join(dir, `${t}.csv`));
      expect(header).toContain(`# qbwave-version: ${VERSION}`);
      expect(header.some((h) => h.startsWith('# parameters: ') && h.includes('gamma11=0.5'))).toBe(true);
      expect(header.some((h) => h.startsWith('# method: '))).toBe(true);
      for (const c of columns) expect(header.some((h) => h.startsWith(`# column ${c} [`)), `${t}: ${c}`).toBe(true);
    }
  });

  it('Fig. 2a: 31 rows; E±, Z± at ω0 = 0.5, 1.0, 1.5, 3.0 equal physics.md references (1e-11, 1e-9); thresholds 1.11178785 (1e-7), 2.788 (1e-3)', () => {
    const { header, rows } = readCsv(join(dir, 'fig2a_spectrum.csv'));
    expect(rows.length).toBe(31);
    const at = (w: number) => rows.find((r) => Math.abs((r.omega0 as number) - w) < 1e-12)!;
    assertClose(at(0.5).Eplus as number, 0.261216271976, 1e-11, 'E+(0.5)');
    assertClose(at(0.5).Zminus as number, 0.485661197603, 1e-9, 'Z−(0.5)');
    assertClose(at(1.0).Eminus as number, 0.90806616481, 1e-11, 'E−(1.0)');
    assertClose(at(1.5).Zplus as number, 0.140064886039, 1e-9, 'Z+(1.5)');
    expect(at(1.5).Eminus).toBeNaN();
    assertClose(at(3.0).Eplus as number, 0.975785132489, 1e-11, 'E+(3.0)');
    expect([at(0.5).regime, at(1.5).regime, at(3.0).regime]).toEqual([2, 1, 0]);
    expect(at(3.0).count).toBe(1); // exact: E+ always exists
    assertClose(marker(header, /E− disappears/), 1.11178785, 1e-7, 'second-state threshold');
    assertClose(marker(header, /Z\+ < 0\.014/), 2.788, 1e-3, 'effective zero-state threshold');
  });

  it('Fig. 2b: E(t) from the solver approaches Eq. (8): |Δ| ≤ 1e-3 for t ≥ 40 at ω0 = 0.5; in the band (ω0 = 1.5, 3) the transient decays (|Δ(60)| ≤ 1e-2 < |Δ(40)|)', () => {
    const e = readCsv(join(dir, 'fig2b_energy.csv')).rows;
    const q = readCsv(join(dir, 'fig2b_eq8.csv')).rows;
    expect(e.length).toBe(3 * 121); // t = 0, 0.5, …, 60 for three ω0
    expect(q.length).toBe(3 * 5); // t = 40, 45, …, 60
    const dev = (w: number, t: number) => {
      const d = q.find((x) => x.omega0 === w && x.t === t)!;
      const row = e.find((r) => r.omega0 === w && Math.abs((r.t as number) - t) < 1e-9)!;
      return Math.abs((row.energy as number) - (d.energyEq8 as number));
    };
    // below the band the branch cut decays like t^−3/2: ~4e-4 here (tolerance 1e-3)
    for (const t of [40, 45, 50, 55, 60]) expect(dev(0.5, t), `ω0 = 0.5, t = ${t}`).toBeLessThan(1e-3);
    // in the band a resonance decays slowly; the deviation must shrink (measured 0.040 → 0.005 and 0.010 → 0.0007)
    for (const w of [1.5, 3]) {
      expect(dev(w, 60), `ω0 = ${w}`).toBeLessThan(1e-2);
      expect(dev(w, 60), `ω0 = ${w}`).toBeLessThan(dev(w, 40));
    }
    // one bound state: E(∞) = ω0 Z+² exactly
    assertClose(q.find((d) => d.omega0 === 1.5)!.energyEq8 as number, 1.5 * 0.140064886039 ** 2, 1e-9, 'ω0Z+²');
  });

  it('Fig. 2b: the Markovian E(t) of Eq. (6) beside the exact one — lossless full exchange below the band, decay to ~0 in it while the exact E(t) stays finite', () => {
    const mk = readCsv(join(dir, 'fig2b_markov.csv')).rows;
    const ex = readCsv(join(dir, 'fig2b_energy.csv')).rows;
    expect(mk.length).toBe(3 * 121);
    const series = (rows: typeof mk, w: number, key: string) => rows.filter((r) => r.omega0 === w).map((r) => r[key] as number);
    // ω0 = 0.5 < ω11: J(ω0) = 0, Eq. (6) gives E = ω0 sin²(δ1 t) exactly: never above ω0, and on the
    // 0.5-step grid within ω0·(1 − cos²(δ1·0.25)) ≤ 5e-4 of it at the sample nearest the peak (|δ1| = 0.122).
    const m05 = series(mk, 0.5, 'energyMarkov');
    expect(Math.max(...m05)).toBeLessThanOrEqual(0.5 + 1e-12);
    expect(Math.max(...m05)).toBeGreaterThan(0.5 - 5e-4);
    // in the band Eq. (6) damps: E ≤ ω0 e^{−2(Υ0 − |Υ1|)t} (rate 0.106 at ω0 = 1.5 gives ≤ 2.6e-3 at t = 60),
    // while the exact E(t) tends to ω0 Z+² = 0.0294; the data must show the paper's contrast by a factor ≥ 10.
    const last = (rows: typeof mk, w: number, key: string) => series(rows, w, key).at(-1)!;
    expect(last(mk, 1.5, 'energyMarkov')).toBeLessThan(2.6e-3);
    expect(last(ex, 1.5, 'energy')).toBeGreaterThan(10 * last(mk, 1.5, 'energyMarkov'));
    expect(readFileSync(join(dir, 'fig2.svg'), 'utf8')).toContain('Markovian (Eq. 6)');
  });

  it('SVG structure: heat maps are one embedded image each (no per-cell rects, no seams), the Fig. 4 legend names the effective count and its thresholds, legends of dashed curves are dashed', () => {
    const svg4 = readFileSync(join(dir, 'fig4.svg'), 'utf8');
    const svg3 = readFileSync(join(dir, 'fig3.svg'), 'utf8');
    const images = (svg: string) => [...svg.matchAll(/<image[^>]*href="data:image\/png;base64,([^"]+)"/g)].map((m) => m[1]!);
    expect(images(svg4)).toHaveLength(2);
    expect(images(svg3)).toHaveLength(1);
    expect((svg4.match(/<rect/g) ?? []).length).toBeLessThan(20);
    expect(svg4).toContain('effective count M (Z ≥ 0.014; 2D: beat period &gt; 2000/ω₁₁)');
    expect(svg4).toContain('Δz (λ₁₁)');
    expect(readFileSync(join(dir, 'fig2.svg'), 'utf8')).toMatch(/stroke-dasharray="6,3"/);
    // The regime image of Fig. 4(a) shows the CSV's regimes: Δz across (left → right), ω0 up.
    const map = readCsv(join(dir, 'fig4ab_map.csv')).rows;
    const dzs = [...new Set(map.map((r) => r.dz as number))].sort((a, b) => a - b);
    const w0s = [...new Set(map.map((r) => r.omega0 as number))].sort((a, b) => a - b);
    const img = decodePng(Buffer.from(images(svg4)[0]!, 'base64'));
    const sx = img.width / dzs.length, sy = img.height / w0s.length;
    expect(Number.isInteger(sx) && Number.isInteger(sy)).toBe(true);
    for (const r of map) {
      const c = dzs.indexOf(r.dz as number), k = w0s.indexOf(r.omega0 as number);
      const x = Math.floor((c + 0.5) * sx), y = img.height - 1 - Math.floor((k + 0.5) * sy);
      const o = img.channels * (y * img.width + x);
      expect([img.data[o], img.data[o + 1], img.data[o + 2]], `(ω0, Δz) = (${r.omega0}, ${r.dz})`).toEqual(parseColour(REGIME_COLOURS[REGIME_LABELS.indexOf(String(r.regime) as '0')]!));
    }
  });

  it('Fig. 3: E− appears at Δz = 0.300385 (1e-6), "2D" beyond 1.686 (1e-3); E(∞) max at ω0 = 1, Δz = 0.1 is 0.56669 (1e-5)', () => {
    const a = readCsv(join(dir, 'fig3a_boundstates.csv'));
    expect(a.rows.length).toBe(25);
    assertClose(marker(a.header, /E− appears/), 0.300385, 1e-6, 'Δz threshold');
    assertClose(marker(a.header, /2D beyond/), 1.686, 1e-3, 'degeneracy threshold');
    for (const r of a.rows) expect(r.count).toBe((r.dz as number) > 0.300385 ? 2 : 1);
    const b = readCsv(join(dir, 'fig3b_extremes.csv')).rows;
    expect(b.length).toBe(3 * 25);
    const r = b.find((x) => x.omega0 === 1 && Math.abs((x.dz as number) - 0.1) < 1e-12)!;
    assertClose(r.energyMax as number, 0.5666890880, 1e-5, 'max E(∞) at ω0 = 1.0');
    const m = readCsv(join(dir, 'fig3a_longtime.csv'));
    expect(m.rows.length).toBe(3 * 11);
    // every solve succeeded with finite output (a failure would be a '# warning:' line, never silent)
    expect(m.header.filter((h) => h.startsWith('# warning'))).toEqual([]);
    for (const r of m.rows) expect(Number.isFinite(r.energy as number), `Δz = ${r.dz}, t = ${r.t}`).toBe(true);
  });

  it('Fig. 4: 12 × 7 map, (c) has 7 rows equal to the column maxima of (b); values equal evaluatePoint bit for bit', () => {
    const map = readCsv(join(dir, 'fig4ab_map.csv')).rows;
    expect(map.length).toBe(84);
    const c = readCsv(join(dir, 'fig4c_max.csv')).rows;
    expect(c.length).toBe(7);
    for (const r of c) {
      const col = map.filter((x) => x.dz === r.dz).map((x) => x.ergotropyMax as number);
      expect(r.ergotropyMaxOverOmega0).toBe(Math.max(...col));
    }
    // same code path: a map row equals the library call to the last bit
    const row = map[40]!;
    const v = namedValues(FIG4_QUANTITIES, evaluatePoint({ omega0: row.omega0 as number, dz: row.dz as number, gamma11: 0.5 }, FIG4_QUANTITIES).values);
    expect([row.count, row.effectiveCount, row.ergotropyMax, row.energyMax]).toEqual([v.count, v.effectiveCount, v.ergotropyMax, v.energyMax]);
    // maximal ergotropy in the map: 0.3-ish (paper: 0.3ω11), never above max ω0(2·1 − 1)
    const wMax = Math.max(...map.map((x) => x.ergotropyMax as number));
    expect(wMax).toBeGreaterThan(0.25);
    expect(wMax).toBeLessThan(0.4);
  });

  it('rejects bad flags with one line naming the flag, exit 2', () => {
    for (const [args, flag] of [[['--only', '5'], '--only'], [['--formats', 'gif'], '--formats'], [['--fig4-dz', '0:3:0'], '--fig4-dz'], [['--fig3-dz', '0.1:2:5000'], '--fig3-dz'], [['--fig3-dz', '-1:2:5'], '--fig3-dz']] as const) {
      const r = qbwave(['figures', ...args, '--out', join(dir, 'bad')]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n').length).toBe(1);
      expect(r.stderr).toContain(flag);
    }
  });
});

describe('qbwave figures --fig3-dz (the Fig. 3(a) map grid, like --fig4-omega0/--fig4-dz)', () => {
  it('sets the Δz rows of the long-time map: 0.2:1:5 gives rows at Δz = 0.2, 0.4, 0.6, 0.8, 1, recorded in the CSV header', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qbw-fig3-'));
    const r = qbwave(['figures', '--only', '3', '--quick', '--formats', 'csv', '--fig3-dz', '0.2:1:5', '--out', dir, '--quiet'], { timeout: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const { header, rows } = readCsv(join(dir, 'fig3a_longtime.csv'));
    const dzs = [...new Set(rows.map((x) => x.dz as number))];
    expect(dzs).toHaveLength(5);
    // grid values start + k·step, as every figure axis (0.6000000000000001 for k = 2): 1e-15
    [0.2, 0.4, 0.6, 0.8, 1].forEach((v, k) => expect(Math.abs(dzs[k]! - v)).toBeLessThan(1e-15));
    expect(header.some((h) => h.includes('mapDz=0.2:1:5'))).toBe(true);
  });
});
