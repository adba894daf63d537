import { brentRoot } from '../numerics/brent.js';
import { steadyState } from '../battery/steadyState.js';
import { PARAM_RANGES, type ModelParams } from '../model/params.js';
import { checkNumber, ParameterError } from '../errors.js';
import { EFFECTIVE_RANGES } from '../spectrum/classification.js';

/**
 * Regime boundaries quoted in the paper, located to ~1e-9 with the same steadyState the sweeps and
 * figures use: a scan finds the first sign change of an indicator, then bisection (for the exact
 * count, a step function) or Brent's method (for smooth indicators) polishes it.
 */

/** The first x in [lo, hi] where `f` changes sign, scanning `steps` intervals; null if none. */
export function firstSignChange(f: (x: number) => number, lo: number, hi: number, steps: number, smooth: boolean, xTol = 1e-10): number | null {
  let x0 = lo;
  let f0 = f(x0);
  for (let k = 1; k <= steps; k++) {
    const x1 = lo + ((hi - lo) * k) / steps;
    const f1 = f(x1);
    if (f0 === 0) return x0;
    if (Math.sign(f1) !== Math.sign(f0)) {
      if (smooth) return brentRoot(f, x0, x1, xTol, 200).root;
      let a = x0;
      let b = x1;
      const fa = f0;
      while (b - a > xTol * Math.max(1, Math.abs(a))) {
        const m = 0.5 * (a + b);
        const fm = f(m);
        if (fm === 0) return m;
        if (Math.sign(fm) === Math.sign(fa)) a = m;
        else b = m;
      }
      return 0.5 * (a + b);
    }
    x0 = x1;
    f0 = f1;
  }
  return null;
}

/**
 * Exact bound-state count minus 1.5 (positive with two states). Right at the threshold the E− root
 * lies within rounding of the band edge and the self-energy may throw its own RangeError (E rounds
 * to 1); that point is the threshold to double precision, so it is reported as a sign change (0).
 * A ParameterError (also a RangeError) is bad input, not a threshold: it propagates.
 */
function countIndicator(p: ModelParams): number {
  try {
    return steadyState(p, { resonances: false }).count - 1.5;
  } catch (err) {
    if (err instanceof RangeError && !(err instanceof ParameterError)) return 0;
    throw err;
  }
}

/** Validates the fixed parameters of a threshold search before it starts (ParameterError naming them). */
function checkFixed(fixed: { omega0?: number; dz?: number; gamma11: number }): void {
  if (fixed.omega0 !== undefined) checkNumber('omega0', fixed.omega0, PARAM_RANGES.omega0);
  if (fixed.dz !== undefined) checkNumber('dz', fixed.dz, PARAM_RANGES.dz);
  checkNumber('gamma11', fixed.gamma11, PARAM_RANGES.gamma11);
}

/**
 * ω0 (ω11) above which the antisymmetric bound state E− no longer exists, at fixed Δz, Γ11
 * (the paper's "1.1ω11" at Δz = 0.1λ11; physics.md: 1.11178785). Searched in [0.05, 10].
 */
export function secondStateOmega0(dz: number, gamma11: number): number | null {
  checkFixed({ dz, gamma11 });
  return firstSignChange((w) => countIndicator({ omega0: w, dz, gamma11 }), 0.05, 10, 200, false);
}

/**
 * ω0 (ω11) above which Z+ falls below `residueThreshold` (the paper's "no bound state for
 * ω0 ≥ 2.8ω11"; exactly, E+ always exists). Searched in [0.05, 10].
 */
export function effectiveZeroOmega0(dz: number, gamma11: number, residueThreshold: number): number | null {
  checkFixed({ dz, gamma11 });
  checkNumber('residueThreshold', residueThreshold, EFFECTIVE_RANGES.residueThreshold);
  const zPlus = (w: number) => steadyState({ omega0: w, dz, gamma11 }, { resonances: false }).boundStates.find((b) => b.channel === '+')?.residue ?? 0;
  return firstSignChange((w) => zPlus(w) - residueThreshold, 0.05, 10, 200, true);
}

/** Δz (λ11) at which E− first appears as Δz grows from 0 at fixed ω0 > 1.11 (the paper's "0.3λ11" at ω0 = 1.4). */
export function secondStateDz(omega0: number, gamma11: number, dzMax = 5): number | null {
  checkFixed({ omega0, gamma11 });
  checkNumber('dzMax', dzMax, { min: 0, minOpen: true, max: PARAM_RANGES.dz.max, unit: 'units of λ11' });
  return firstSignChange((dz) => countIndicator({ omega0, dz, gamma11 }), 1e-6, dzMax, Math.ceil(dzMax / 0.02), false);
}

/**
 * Δz (λ11) beyond which the two bound states beat slower than the observation time T,
 * 2π/|E− − E+| > T (the paper's "degenerate for Δz ≥ 1.7λ11" at ω0 = 1.4), searching Δz ≥ dzFrom.
 */
export function degenerateDz(omega0: number, gamma11: number, observationTime: number, dzFrom: number, dzMax = 5): number | null {
  checkFixed({ omega0, gamma11 });
  checkNumber('observationTime', observationTime, EFFECTIVE_RANGES.observationTime);
  checkNumber('dzMax', dzMax, { min: 0, minOpen: true, max: PARAM_RANGES.dz.max, unit: 'units of λ11' });
  checkNumber('dzFrom', dzFrom, { min: 0, max: dzMax, unit: 'units of λ11' });
  const gapExcess = (dz: number) => {
    const s = steadyState({ omega0, dz, gamma11 }, { resonances: false });
    const p = s.boundStates.find((b) => b.channel === '+');
    const m = s.boundStates.find((b) => b.channel === '-' && !b.inContinuum);
    if (!p || !m) return 1;
    return Math.abs(m.energy - p.energy) - (2 * Math.PI) / observationTime;
  };
  return firstSignChange(gapExcess, dzFrom, dzMax, Math.ceil((dzMax - dzFrom) / 0.02), true);
}

/** Golden-section maximisation of a unimodal f on [lo, hi] to `xTol`. */
export function maximise(f: (x: number) => number, lo: number, hi: number, xTol = 1e-7): { x: number; value: number } {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > xTol) {
    if (fc > fd) {
      b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c);
    } else {
      a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d);
    }
  }
  const x = 0.5 * (a + b);
  return { x, value: f(x) };
}
