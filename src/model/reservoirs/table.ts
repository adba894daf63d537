import { ParameterError, checkNumber } from '../../errors.js';
import { registerReservoir, rejectUnknownKeys, type ReservoirExample } from './registry.js';
import { makeCoupling, type Component, type Coupling, type EmitterPlacement, type Reservoir } from './reservoir.js';
import { TABLE_ERROR_TIME, TABLE_MAX_PHASE, TABLE_MAX_POINTS, tabulatedBand, type BandTable, type TabulatedBand } from './tableNumerics.js';

/**
 * Any 1D band given by a table (issue 11 item 4; shared/scenes.md §1–2): the reservoir of a scene
 *   "reservoir": {"type": "table", "k": [...], "omega": [...], "coupling": [...]}
 * with k ≥ 0 strictly increasing (radians per unit of z), ω(k) the dispersion and coupling = |g(k)|²
 * (≥ 0) at each k. The CLI also accepts {"type": "table", "file": "band.csv"} and reads the file
 * (relative to the scene file) into these arrays before the library sees the scene (cli/bandTable.ts;
 * the CSV format is parseBandCsv's).
 *
 * Physics: the table is the k ≥ 0 half of a reciprocal band (ω(−k) = ω(k), |g(−k)|² = |g(k)|²);
 * emitter j at z_j couples to mode k with √s_j·g(k)e^{ikz_j}, s_j its `gamma` (a dimensionless scale,
 * default 1: the table's |g|² carries the units). Then
 *   J_jl(ω) = √(s_j s_l) Σ_{branches} |g(k)|² cos(k(z_j − z_l))/(π|dω/dk|),
 * and kernels, self-energies and level shifts are computed as integrals over k (tableNumerics.ts), one
 * component per distinct distance |z_j − z_l|. Units are the table's: ω, E in its frequency unit,
 * t in its inverse, z in the unit whose inverse k is measured in, |g|² in frequency²·(unit of z).
 *
 * Examples (examples/bands/): the TM11 guide with z in λ11 is ω = √(1 + (k/2π)²) (ω11 = 1) and
 * |g|² = 1/(4πω) with s_j = Γ_j; the cavity array ω = ωc − 2J cos k on k ∈ [0, π] (z = site index) has
 * |g|² = 1 with s_j = g_j².
 *
 * The band ends at the table's last k: a continuum that goes on (the TM11 guide) is truncated, which
 * drops the modes above ω(kmax). For a band whose |g|²/|dω/dk| falls off like the TM11 guide's
 * (J ≈ Γ/2πω), the missing modes shift the self-energy below the band by ≈ +Γ/(2π ω_max) (a Lamb
 * shift of the modes not listed) and bound states by about Z times that; a TM11 table to
 * ω_max = 10³ω11 moves them by ≈ 1.6e-4·Γ·Z (test/model/reservoirs/table.test.ts measures it).
 */

/** Allowed coupling scale s_j of an emitter (its `gamma`), dimensionless. */
export const TABLE_SCALE_RANGE = { min: 0, minOpen: true, max: 1e6, unit: 'dimensionless scale of the table\'s |g(k)|²' } as const;

/** Emitter frequencies allowed: within this many bandwidths of the band. */
export const TABLE_FREQUENCY_BANDWIDTHS = 100;

const cache = new Map<string, TabulatedBand>();

function cachedBand(table: BandTable, path: string): TabulatedBand {
  const key = `${Array.from(table.k).join(',')}|${Array.from(table.omega).join(',')}|${Array.from(table.coupling).join(',')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const band = tabulatedBand(table, path);
  if (cache.size >= 8) cache.delete(cache.keys().next().value as string);
  cache.set(key, band);
  return band;
}

/** One component of the table: the pair function at distance dz (0: the self term). */
export function tableComponent(band: TabulatedBand, dz: number): Component {
  const W = band.band[1] - band.band[0];
  return {
    label: dz === 0 ? 'table self' : `table Δz=${dz}`,
    bands: [band.band],
    edges: band.edges,
    // A bounded band: φ(t) is smooth (entire) in t.
    singularTimes: [],
    density: (omega) => band.density(omega, dz),
    kernel: (t, out, o) => band.kernel(t, dz, out, o),
    selfEnergy: (E) => band.selfEnergy(E, dz),
    selfEnergyDerivative: (E) => band.selfEnergyDerivative(E, dz),
    levelShift: (omega) => band.levelShift(omega, dz),
    // The kernel's interpolation + quadrature error bound for t ≤ TABLE_ERROR_TIME/W (tableNumerics.ts).
    absoluteError: band.kernelErrorBound(TABLE_ERROR_TIME / W),
  };
}

/** The coupling of N emitters at z_j with scales s_j to a tabulated band. */
export function tableCoupling(band: TabulatedBand, z: readonly number[], scale: readonly number[]): Coupling {
  const n = z.length;
  const dists: number[] = [];
  const group = new Int32Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let l = 0; l < n; l++) {
      const d = Math.abs(z[j] - z[l]);
      // Distances equal to 1e-14 relative share one component (rounding of z_j − z_l).
      let g = dists.findIndex((x) => Math.abs(x - d) <= 1e-14 * Math.max(x, d));
      if (g < 0) { dists.push(d); g = dists.length - 1; }
      group[j * n + l] = g;
    }
  }
  const order = dists.map((_, i) => i).sort((a, b) => dists[a] - dists[b]);
  const rank = new Int32Array(dists.length);
  order.forEach((g, r) => { rank[g] = r; });
  const weights = order.map(() => new Float64Array(n * n));
  for (let j = 0; j < n; j++) {
    for (let l = 0; l < n; l++) {
      weights[rank[group[j * n + l]]][j * n + l] = j === l ? scale[j] : Math.sqrt(scale[j] * scale[l]);
    }
  }
  const components = order.map((g) => tableComponent(band, dists[g] === 0 ? 0 : dists[g]));
  return makeCoupling(n, components, weights);
}

/** The reservoir of a band table (validated, interpolated once per distinct table). */
export function tableReservoir(table: BandTable, path = 'scene.reservoir'): Reservoir & { readonly tabulated: TabulatedBand } {
  const band = cachedBand(table, path);
  const [lo, hi] = band.band;
  const W = hi - lo;
  const maxDistance = TABLE_MAX_PHASE / Math.max(Math.abs(band.kMax), Number.MIN_VALUE);
  return {
    type: 'table',
    description: `tabulated band (${band.points} rows, k ∈ [${band.k0}, ${band.kMax}], ω ∈ [${lo.toPrecision(8)}, ${hi.toPrecision(8)}])`,
    emitterFields: ['z', 'gamma'],
    frequencyRange: { min: lo - TABLE_FREQUENCY_BANDWIDTHS * W, max: hi + TABLE_FREQUENCY_BANDWIDTHS * W, unit: `the table's frequency unit: within ${TABLE_FREQUENCY_BANDWIDTHS} bandwidths of the band [${lo}, ${hi}]` },
    tabulated: band,
    couple(emitters: readonly EmitterPlacement[], epath = 'scene.emitters') {
      const z: number[] = [];
      const s: number[] = [];
      emitters.forEach((e, j) => {
        z.push(checkNumber('z', e.z, { min: -maxDistance, max: maxDistance, unit: `unit of z of the table (|Δz|·kmax ≤ ${TABLE_MAX_PHASE.toPrecision(6)})` }, `${epath}[${j}].z`));
        s.push(e.gamma === undefined ? 1 : checkNumber('gamma', e.gamma, TABLE_SCALE_RANGE, `${epath}[${j}].gamma`));
      });
      const zLo = Math.min(...z);
      const zHi = Math.max(...z);
      if (zHi - zLo > maxDistance) {
        throw new ParameterError('z', zHi, `emitters must lie within ${maxDistance} of each other (|Δz|·kmax ≤ ${TABLE_MAX_PHASE.toPrecision(6)} radians)`, `${epath}[${z.indexOf(zHi)}].z`);
      }
      return tableCoupling(band, z, s);
    },
  };
}

/**
 * Reads a band table from CSV text (pure: the CLI reads the file). Format: one row per k with three
 * numbers `k, omega, coupling` separated by commas (or tabs/spaces/semicolons); blank lines and lines
 * starting with `#` are ignored; an optional header line naming the columns (k, omega, coupling in
 * any order; other columns are refused) comes first. Errors name `${path}` and the line number.
 */
export function parseBandCsv(text: string, path = 'scene.reservoir.file'): { k: number[]; omega: number[]; coupling: number[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const cols = { k: 0, omega: 1, coupling: 2 };
  const out = { k: [] as number[], omega: [] as number[], coupling: [] as number[] };
  let sawData = false;
  let sawHeader = false;
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln].trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(/\s*[,;\t]\s*|\s+/);
    const bad = (why: string): never => { throw new ParameterError('file', line, `line ${ln + 1}: ${why}`, path); };
    if (!sawData && !sawHeader && cells.some((c) => /[a-zA-Z_|]/.test(c) && !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(c))) {
      const names = cells.map((c) => c.toLowerCase().replace(/^"|"$/g, ''));
      const want = ['k', 'omega', 'coupling'] as const;
      if (names.length !== 3 || !want.every((w) => names.includes(w))) bad('a header must name the three columns k, omega, coupling (in any order)');
      for (const w of want) cols[w] = names.indexOf(w);
      sawHeader = true;
      continue;
    }
    if (cells.length !== 3) bad(`a row must hold 3 numbers (k, omega, coupling), found ${cells.length}`);
    const v = cells.map((c) => (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(c) ? Number(c) : NaN));
    v.forEach((x, i) => { if (!Number.isFinite(x)) bad(`${JSON.stringify(cells[i])} is not a finite number`); });
    if (out.k.length >= TABLE_MAX_POINTS) bad(`more than ${TABLE_MAX_POINTS} rows`);
    out.k.push(v[cols.k]);
    out.omega.push(v[cols.omega]);
    out.coupling.push(v[cols.coupling]);
    sawData = true;
  }
  if (!sawData) throw new ParameterError('file', 'no rows', 'the table holds no rows of numbers (k, omega, coupling)', path);
  return out;
}

registerReservoir('table', (spec, path) => {
  rejectUnknownKeys(spec, ['type', 'k', 'omega', 'coupling', 'file', 'description'], path);
  if (spec.file !== undefined) {
    throw new ParameterError('file', spec.file, 'a table file is read by the command-line tool (relative to the scene file); the library takes the arrays "k", "omega", "coupling"', `${path}.file`);
  }
  if (spec.description !== undefined && typeof spec.description !== 'string') throw new ParameterError('description', spec.description, 'must be a string', `${path}.description`);
  for (const key of ['k', 'omega', 'coupling'] as const) {
    if (spec[key] === undefined) throw new ParameterError(key, undefined, `is required: an array of numbers, one per row of the table (fields k, omega, coupling = |g(k)|²)`, `${path}.${key}`);
  }
  return tableReservoir({ k: spec.k as number[], omega: spec.omega as number[], coupling: spec.coupling as number[] }, path);
}, tableExamples());

/**
 * Example scenes for the conformance test: the cavity-array band ω = −2cos k (ωc = 0, J = 1) on 81 rows
 * with |g|² = 1, and a band with an interior maximum (ω = 1 + 4sin²(1.3k) on k ∈ [0, 2]: edges at 1 (k = 0),
 * 5 (the maximum) and 1 + 4sin²2.6 (the table's end, where J jumps to 0)) whose coupling varies with k.
 */
function tableExamples(): ReservoirExample[] {
  const rows = (n: number, kMax: number) => Array.from({ length: n }, (_, i) => (kMax * i) / (n - 1));
  const kc = rows(81, Math.PI);
  const kb = rows(121, 2);
  return [
    {
      name: 'cavity-array band −2cos k tabulated on 81 rows, emitters on sites 0 and 3 with unequal couplings',
      reservoir: { type: 'table', k: kc, omega: kc.map((x) => -2 * Math.cos(x)), coupling: kc.map(() => 1) },
      emitters: [
        { z: 0, gamma: 0.09, omega0: 0.5, role: 'charger' },
        { z: 3, gamma: 0.04, omega0: -0.3, role: 'battery' },
      ],
    },
    {
      name: 'band with an interior maximum (two branches), k-dependent coupling, two emitters 0.7 apart',
      reservoir: { type: 'table', k: kb, omega: kb.map((x) => 1 + 4 * Math.sin(1.3 * x) ** 2), coupling: kb.map((x) => 0.2 * (1 + 0.5 * Math.cos(x))) },
      emitters: [
        { z: 0, omega0: 2.6, role: 'charger' },
        { z: 0.7, omega0: 2.6, role: 'battery' },
      ],
    },
  ];
}
