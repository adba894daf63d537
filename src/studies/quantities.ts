import { checkNumber, ParameterError } from '../errors.js';
import type { ModelParams } from '../model/params.js';
import { steadyState } from '../battery/steadyState.js';
import { batteryEnergyOf as batteryEnergy } from '../battery/energy.js';
import { solve } from '../dynamics/solve.js';
import type { Method } from '../dynamics/types.js';
import { EFFECTIVE_DEFAULTS, EFFECTIVE_RANGES } from '../spectrum/classification.js';
import { PLAIN_DECIMAL } from '../decimal.js';

/**
 * The quantities a sweep can compute at each parameter point, and the one function that computes
 * them (`evaluatePoint`). The figures use the same function, so a figure and a sweep (and the
 * single-point commands, which call steadyState/solve directly) can never disagree.
 */

export type QuantityName = 'boundStates' | 'energyMinMax' | 'ergotropyMax' | 'effectiveCount' | 'resonance' | 'energyAt';
export const QUANTITY_NAMES: readonly QuantityName[] = ['boundStates', 'energyMinMax', 'ergotropyMax', 'effectiveCount', 'resonance', 'energyAt'];

/** A requested quantity; `times` (1/ω11) only for energyAt. */
export interface QuantitySpec {
  name: QuantityName;
  times?: number[];
}

/** Settings of the per-point computation. Every field documents its default. */
export interface PointOptions {
  /** Residues Z below this count as "no bound state" in the effective classification (default 0.014). */
  residueThreshold?: number;
  /** Two bound states whose beat period 2π/|E− − E+| exceeds this (1/ω11) count as degenerate (default 2000). */
  observationTime?: number;
  /** Absolute tolerance on c1, c2 for energyAt (default 1e-8). */
  tol?: number;
  /** Dynamics method for energyAt (default 'exact'). */
  method?: Method;
}

export const POINT_DEFAULTS: Required<PointOptions> = { ...EFFECTIVE_DEFAULTS, tol: 1e-8, method: 'exact' };

/** Largest time accepted by energyAt, 1/ω11. */
export const MAX_ENERGY_TIME = 1e5;

/**
 * Parses a quantity list such as "boundStates,energyMinMax,energyAt=10;50" (comma-separated; energyAt
 * takes times in 1/ω11 separated by ';'). Throws ParameterError('quantities', …) on anything else.
 */
export function parseQuantities(text: string): QuantitySpec[] {
  const items = String(text).split(',').map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === '')) throw new ParameterError('quantities', text, `must be a comma-separated list of ${QUANTITY_NAMES.join(', ')}`);
  const out: QuantitySpec[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const [name, arg, ...rest] = item.split('=');
    if (!(QUANTITY_NAMES as readonly string[]).includes(name!)) {
      throw new ParameterError('quantities', item, `unknown quantity; known: ${QUANTITY_NAMES.join(', ')} (energyAt=T1;T2;… with T in 1/ω11)`);
    }
    if (seen.has(name!)) throw new ParameterError('quantities', item, 'each quantity may be given once');
    seen.add(name!);
    if (name === 'energyAt') {
      if (arg === undefined || rest.length > 0 || arg.trim() === '') throw new ParameterError('quantities', item, 'energyAt needs times: energyAt=T1;T2;… (1/ω11)');
      const times = arg.split(';').map((t) => {
        const s = t.trim();
        const v = PLAIN_DECIMAL.test(s) ? Number(s) : Number.NaN;
        if (!Number.isFinite(v) || v < 0 || v > MAX_ENERGY_TIME) throw new ParameterError('quantities', item, `energyAt times must be numbers in [0, ${MAX_ENERGY_TIME}] (1/ω11)`);
        return v;
      });
      out.push({ name: 'energyAt', times });
    } else {
      if (arg !== undefined) throw new ParameterError('quantities', item, `${name} takes no argument`);
      out.push({ name: name as QuantityName });
    }
  }
  return out;
}

/** The canonical text of a quantity list (inverse of parseQuantities). */
export function formatQuantities(specs: readonly QuantitySpec[]): string {
  return specs.map((q) => (q.name === 'energyAt' ? `energyAt=${(q.times ?? []).map(String).join(';')}` : q.name)).join(',');
}

/** A result column: its name, unit and meaning. */
export interface Column {
  name: string;
  unit: string;
  description: string;
}

/** The columns a quantity list produces, in order. */
export function quantityColumns(specs: readonly QuantitySpec[]): Column[] {
  const cols: Column[] = [];
  for (const q of specs) {
    switch (q.name) {
      case 'boundStates':
        cols.push(
          { name: 'count', unit: '1', description: 'number M of bound states below the band edge, exact (Eq. 7)' },
          { name: 'Eplus', unit: 'omega11', description: 'symmetric bound-state energy E+ (NaN if none)' },
          { name: 'Zplus', unit: '1', description: 'residue Z+ (Eq. 8, paper convention; NaN if none)' },
          { name: 'Eminus', unit: 'omega11', description: 'antisymmetric bound-state energy E- (NaN if none)' },
          { name: 'Zminus', unit: '1', description: 'residue Z- (NaN if none)' },
        );
        break;
      case 'energyMinMax':
        cols.push(
          { name: 'energyMin', unit: 'omega11', description: 'minimum over t of the steady-state energy E(inf) from Eq. (8)' },
          { name: 'energyMax', unit: 'omega11', description: 'maximum over t of the steady-state energy E(inf) from Eq. (8)' },
        );
        break;
      case 'ergotropyMax':
        cols.push({ name: 'ergotropyMax', unit: 'omega11', description: 'maximum over t of the steady-state ergotropy W(inf), Eq. (5)' });
        break;
      case 'effectiveCount':
        cols.push(
          { name: 'effectiveCount', unit: '1', description: 'bound states with residue above the threshold' },
          { name: 'degenerate', unit: '1', description: '1 if two effective bound states beat slower than the observation time ("2D"), else 0' },
        );
        break;
      case 'resonance':
        cols.push(
          { name: 'resonanceEnergy', unit: 'omega11', description: 'frequency of the narrowest continuum resonance (NaN if none)' },
          { name: 'resonanceWidth', unit: 'omega11', description: 'its amplitude decay rate; transients near it last ~1/width (NaN if none)' },
        );
        break;
      case 'energyAt':
        for (const t of q.times ?? []) cols.push({ name: `energyAt_${t}`, unit: 'omega11', description: `E(t) = omega0 |c2(t)|^2 at t = ${t}/omega11 from the dynamics solver` });
        break;
    }
  }
  return cols;
}

/** Validates PointOptions and fills the defaults. */
export function resolvePointOptions(o: PointOptions = {}): Required<PointOptions> {
  return {
    residueThreshold: checkNumber('residueThreshold', o.residueThreshold ?? POINT_DEFAULTS.residueThreshold, EFFECTIVE_RANGES.residueThreshold),
    observationTime: checkNumber('observationTime', o.observationTime ?? POINT_DEFAULTS.observationTime, EFFECTIVE_RANGES.observationTime),
    tol: checkNumber('tol', o.tol ?? POINT_DEFAULTS.tol, { min: 1e-14, max: 0.1 }),
    method: o.method ?? POINT_DEFAULTS.method,
  };
}

/** The outcome of one point: values in column order (NaN where undefined) and a status. */
export interface PointResult {
  values: number[];
  /** 'success', or the first non-success status of a dynamics solve (with its message). */
  status: string;
  message: string;
}

/**
 * Computes the requested quantities at one parameter point, in the order of quantityColumns(specs).
 * Steady-state quantities come from steadyState (Eq. 7–8), energyAt from solve (Eq. 3).
 */
export function evaluatePoint(params: ModelParams, specs: readonly QuantitySpec[], options: PointOptions = {}): PointResult {
  const o = resolvePointOptions(options);
  const values: number[] = [];
  let status = 'success';
  let message = '';
  const needsSteady = specs.some((q) => q.name !== 'energyAt');
  const withResonances = specs.some((q) => q.name === 'resonance');
  const ss = needsSteady ? steadyState(params, { residueThreshold: o.residueThreshold, observationTime: o.observationTime, resonances: withResonances }) : null;
  for (const q of specs) {
    switch (q.name) {
      case 'boundStates': {
        const plus = ss!.boundStates.find((b) => b.channel === '+' && !b.inContinuum);
        const minus = ss!.boundStates.find((b) => b.channel === '-' && !b.inContinuum);
        values.push(ss!.count, plus?.energy ?? Number.NaN, plus?.residue ?? Number.NaN, minus?.energy ?? Number.NaN, minus?.residue ?? Number.NaN);
        break;
      }
      case 'energyMinMax':
        values.push(ss!.energyMin, ss!.energyMax);
        break;
      case 'ergotropyMax':
        values.push(ss!.ergotropyMax);
        break;
      case 'effectiveCount':
        values.push(ss!.effectiveCount, ss!.degenerate ? 1 : 0);
        break;
      case 'resonance':
        values.push(ss!.slowestResonance?.energy ?? Number.NaN, ss!.slowestResonance?.width ?? Number.NaN);
        break;
      case 'energyAt':
        for (const t of q.times ?? []) {
          const r = energyAt(params, t, o);
          values.push(r.energy);
          if (r.status !== 'success' && status === 'success') {
            status = r.status;
            message = `energyAt ${t}: ${r.message}`;
          }
        }
        break;
    }
  }
  return { values, status, message };
}

/** E(t) = ω0|c2(t)|² at one time t (1/ω11), Eq. (4), from the dynamics solver. */
export function energyAt(params: ModelParams, t: number, options: PointOptions = {}): { energy: number; status: string; message: string } {
  const o = resolvePointOptions(options);
  if (t === 0) return { energy: 0, status: 'success', message: '' };
  const sol = solve({ params, tMax: t, dt: t, tol: o.tol }, o.method);
  const n = sol.t.length - 1;
  const e = batteryEnergy(sol.c2[2 * n]!, sol.c2[2 * n + 1]!, sol.params.omega0);
  if (!Number.isFinite(e) && sol.status === 'success') return { energy: e, status: 'non-finite', message: `solve(${o.method}) returned 'success' but E = ${e} (${sol.message})` };
  return { energy: e, status: sol.status, message: sol.message };
}

/** The values of a point as a record keyed by column name (see quantityColumns). */
export function namedValues(specs: readonly QuantitySpec[], values: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  quantityColumns(specs).forEach((c, k) => { out[c.name] = values[k]!; });
  return out;
}
