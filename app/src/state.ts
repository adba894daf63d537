/**
 * The explorer's state: everything the URL holds, its defaults, parsing of typed values, and the
 * round trip state <-> URL fragment. Pure (no DOM), so it is unit-tested in Node.
 */
import { PARAM_RANGES, type ModelParams } from '../../src/model/params.js';
import { checkNumber, describeRange } from '../../src/errors.js';
import type { Method } from '../../src/dynamics/types.js';
import { EFFECTIVE_DEFAULTS } from '../../src/spectrum/classification.js';
import { PLAIN_DECIMAL } from '../../src/decimal.js';

export type SweepKind = 'omega0' | 'dz';
export type UnitsMode = 'model' | 'physical';

export interface AppState {
  /** ω0 in ω11. */
  omega0: number;
  /** Δz in λ11. */
  dz: number;
  /** Γ11 in ω11. */
  gamma11: number;
  /** End of the time span, in 1/ω11. */
  tMax: number;
  method: Method;
  /** A second method drawn dashed over the first on E(t), W(t) and the populations ('none': off). */
  compare: CompareChoice;
  /** Abscissa of the energy-spectrum plot. */
  sweep: SweepKind;
  /** Residue below which a bound state is not counted as effective (dimensionless). */
  threshold: number;
  units: UnitsMode;
  /** Waveguide cross-section a, b in nm (physical mode). */
  aNm: number;
  bNm: number;
}

export const METHOD_NAMES: readonly Method[] = ['exact', 'volterra', 'markov'];
export type CompareChoice = Method | 'none';
export const COMPARE_NAMES: readonly CompareChoice[] = ['none', ...METHOD_NAMES];

/** Defaults: the paper's Fig. 2 parameters at ω0 = 1.0 ω11 (two bound states). */
export const DEFAULT_STATE: Readonly<AppState> = Object.freeze({
  omega0: 1.0,
  dz: 0.1,
  gamma11: 0.5,
  tMax: 60,
  method: 'exact',
  compare: 'none',
  sweep: 'omega0',
  threshold: EFFECTIVE_DEFAULTS.residueThreshold,
  units: 'model',
  aNm: 450,
  bNm: 450,
});

/** Range of a numeric field; model parameters take theirs from PARAM_RANGES (src/model/params.ts). */
export interface FieldRange {
  min: number;
  max: number;
  minOpen?: boolean;
  maxOpen?: boolean;
  unit: string;
}

export type NumericField = 'omega0' | 'dz' | 'gamma11' | 'tMax' | 'threshold' | 'aNm' | 'bNm';

export const FIELD_RANGES: Record<NumericField, FieldRange> = {
  omega0: { ...PARAM_RANGES.omega0 },
  dz: { ...PARAM_RANGES.dz },
  gamma11: { ...PARAM_RANGES.gamma11 },
  tMax: { min: 0, minOpen: true, max: 2000, unit: 'units of 1/ω11' },
  threshold: { min: 0, max: 0.5, unit: 'dimensionless residue' },
  aNm: { min: 1, max: 1e9, unit: 'nm' },
  bNm: { min: 1, max: 1e9, unit: 'nm' },
};

/**
 * The time span in physical mode: up to 1e12/ω11 (seconds to hours for optical guides). Long spans are
 * computed by solveLongTime (src/dynamics/longTime.ts), whose cost does not grow with t; the model-mode
 * span stays (0, 2000]/ω11, the paper's figures.
 */
export const PHYSICAL_TMAX_RANGE: FieldRange = { min: 0, minOpen: true, max: 1e12, unit: 'units of 1/ω11' };

/** The range of a field in the given units mode (only t_max differs). */
export function fieldRange(field: NumericField, units: UnitsMode = 'model'): FieldRange {
  return field === 'tMax' && units === 'physical' ? PHYSICAL_TMAX_RANGE : FIELD_RANGES[field];
}

/** Result of reading one typed value: the number, or a message saying why it is not allowed. */
export type Parsed = { ok: true; value: number } | { ok: false; error: string };

/**
 * Parses a typed value ("0.5", "5e-1", " 1 ") and checks it against the field's range.
 * Empty strings, "abc", "1,5", "Infinity" are rejected with a message naming the allowed range.
 */
export function parseField(field: NumericField, text: string, units: UnitsMode = 'model'): Parsed {
  const range = fieldRange(field, units);
  const s = text.trim();
  if (s === '') return { ok: false, error: `required: ${describeRange(range)}` };
  // Number('') is 0 and Number('0x10') is 16: accept only plain decimal notation.
  if (!PLAIN_DECIMAL.test(s)) {
    return { ok: false, error: `"${s}" is not a number; ${describeRange(range)}` };
  }
  const v = Number(s);
  try {
    checkNumber(field, v, range);
  } catch {
    return { ok: false, error: `${formatShort(v)} is out of range: ${describeRange(range)}` };
  }
  return { ok: true, value: v };
}

export function modelParams(s: AppState): ModelParams {
  return { omega0: s.omega0, gamma11: s.gamma11, dz: s.dz };
}

/** URL key of each state field (short, human-readable). */
const KEYS: Record<keyof AppState, string> = {
  omega0: 'omega0',
  dz: 'dz',
  gamma11: 'gamma',
  tMax: 'tmax',
  method: 'method',
  compare: 'compare',
  sweep: 'sweep',
  threshold: 'zmin',
  units: 'units',
  aNm: 'a',
  bNm: 'b',
};

/** Serialises the state into a URL fragment body ("omega0=1&dz=0.1&…"), full precision. */
export function stateToQuery(s: AppState): string {
  const q = new URLSearchParams();
  for (const k of Object.keys(KEYS) as (keyof AppState)[]) {
    if (k === 'aNm' || k === 'bNm') {
      if (s.units !== 'physical') continue;
    }
    q.set(KEYS[k], String(s[k]));
  }
  return q.toString();
}

/** Accuracy choices of the dynamics solver offered by the explorer (URL key `tol`). */
export const TOL_CHOICES: readonly number[] = [1e-3, 1e-5, 1e-8];
export const DEFAULT_TOL = 1e-3;

/** A URL entry that could not be used: the key as written in the URL, its text and why. */
export interface QueryError { key: string; text: string; error: string }

/**
 * What reading a URL gave: the state (defaults where a value was missing or bad), the solver
 * accuracy `tol`, the bad entries (by field; each message names the URL key, the value and what is
 * allowed) and the keys the explorer does not know.
 */
export interface QueryResult {
  state: AppState;
  tol: number;
  errors: Partial<Record<keyof AppState | 'tol', QueryError>>;
  unknownKeys: string[];
}

/** The URL keys the explorer reads, in the order stateToQuery writes them, then `tol`. */
export const URL_KEYS: readonly string[] = [...Object.values(KEYS), 'tol'];

/**
 * Parses a fragment or query string ("#omega0=1&…" or "?omega0=1&…"). A bad value — out of range,
 * not a number, an unknown method/sweep/units/tol, or a key given twice — leaves the default and is
 * reported with a message naming the key, the value and the allowed values; unknown keys are listed.
 */
export function queryToState(query: string, base: AppState = DEFAULT_STATE): QueryResult {
  const q = new URLSearchParams(query.replace(/^[#?]/, ''));
  const state: AppState = { ...base };
  const errors: QueryResult['errors'] = {};
  const bad = (field: keyof AppState | 'tol', key: string, raw: string, why: string) => {
    errors[field] = { key, text: raw, error: `link ${key}=${JSON.stringify(raw)}: ${why}` };
  };
  // t_max's range depends on the units (read first; a bad units value falls back to the base's).
  const unitsText = q.getAll(KEYS.units);
  const units: UnitsMode = unitsText.length === 1 && (unitsText[0] === 'model' || unitsText[0] === 'physical') ? unitsText[0] : base.units;
  const entries: Array<[keyof AppState | 'tol', string]> = [...(Object.keys(KEYS) as (keyof AppState)[]).map((k) => [k, KEYS[k]] as [keyof AppState, string]), ['tol', 'tol']];
  for (const [k, key] of entries) {
    const all = q.getAll(key);
    if (all.length === 0) continue;
    const raw = all[0]!;
    if (all.length > 1) { bad(k, key, all.join(', '), `given ${all.length} times; give it once`); continue; }
    if (k === 'method') {
      if ((METHOD_NAMES as readonly string[]).includes(raw)) state.method = raw as Method;
      else bad(k, key, raw, `must be one of ${METHOD_NAMES.join(', ')} (showing ${base.method})`);
    } else if (k === 'compare') {
      if ((COMPARE_NAMES as readonly string[]).includes(raw)) state.compare = raw as CompareChoice;
      else bad(k, key, raw, `must be one of ${COMPARE_NAMES.join(', ')} (showing ${base.compare})`);
    } else if (k === 'sweep') {
      if (raw === 'omega0' || raw === 'dz') state.sweep = raw;
      else bad(k, key, raw, `must be one of omega0, dz (showing ${base.sweep})`);
    } else if (k === 'units') {
      if (raw === 'model' || raw === 'physical') state.units = raw;
      else bad(k, key, raw, `must be one of model, physical (showing ${base.units})`);
    } else if (k !== 'tol') {
      const r = parseField(k, raw, units);
      if (r.ok) state[k] = r.value;
      else bad(k, key, raw, r.error);
    }
  }
  let tol = DEFAULT_TOL;
  const tolText = q.getAll('tol');
  if (tolText.length === 1) {
    const v = PLAIN_DECIMAL.test(tolText[0]!) ? Number(tolText[0]) : Number.NaN;
    if (TOL_CHOICES.includes(v)) tol = v;
    else bad('tol', 'tol', tolText[0]!, `must be one of ${TOL_CHOICES.join(', ')} (showing ${DEFAULT_TOL})`);
  }
  const unknownKeys = [...new Set([...q.keys()].filter((key) => !URL_KEYS.includes(key)))];
  return { state, tol, errors, unknownKeys };
}

export function formatShort(v: number, digits = 6): string {
  if (!Number.isFinite(v)) return String(v);
  return Number(v.toPrecision(digits)).toString();
}
