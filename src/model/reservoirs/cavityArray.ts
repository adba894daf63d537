import { checkNumber, ParameterError } from '../../errors.js';
import { besselJ0, besselJ1 } from '../../numerics/bessel.js';
import { makeCoupling, type Component, type Coupling, type EmitterPlacement, type Reservoir } from './reservoir.js';
import { registerReservoir, rejectUnknownKeys } from './registry.js';

/**
 * Coupled-cavity array (shared/scenes.md §5; issue 11 item 3):
 *   H = ωc Σ_n a_n†a_n − J Σ_n (a_n†a_{n+1} + h.c.) + Σ_j ω_j σ_j†σ_j + Σ_j g_j(σ_j†a_{n_j} + h.c.).
 * Dispersion ω_k = ωc − 2J cos k, one band [ωc − 2J, ωc + 2J] with two inverse-square-root edges.
 * Emitter j sits on the integer site n_j with coupling g_j. One component per distinct separation
 * n = |n_j − n_l| (n = 0 is the self term), weight W_jl = g_j g_l:
 *   j_n(ω) = cos(nq)/(π√(4J² − Δ²)),  Δ = ω − ωc = −2J cos q, q ∈ (0, π)        (inside the band)
 *   φ_n(t) = i^n J_n(2Jt) e^{−iωc t}                                             (Bessel J of integer order)
 *   σ_n(E) = (−x)^n/R,  R = sgn(Δ)√(Δ² − 4J²),  x = (Δ − R)/(2J) = 2J/(Δ + R)    (E outside the band)
 *   σ'_n(E) = −dσ_n/dE = (−x)^n (nR + Δ)/R³
 *   δ_n(ω) = PV ∫ j_n(ω')/(ω − ω') dω' = sin(nq)/√(4J² − Δ²)                     (inside the band)
 * Derivations (docs/reservoirs.md): with ω' = ωc − 2J cos k, j_n dω' = cos(nk) dk/π, so
 * φ_n = e^{−iωc t}(1/π)∫_0^π cos(nk) e^{2iJt cos k} dk = i^n J_n(2Jt) e^{−iωc t} (DLMF 10.9.2), and
 * σ_n(E) = (1/π)∫_0^π cos(nk)/(Δ + 2J cos k) dk (the standard integral for |Δ| > 2J); inside the band
 * the same integral's principal value is Glauert's PV∫_0^π cos(nk)/(cos k − cos q) dk = π sin(nq)/sin q.
 * Sign conventions are those of reservoir.ts (σ = ∫j/(E − ω), so σ_0 < 0 below the band, > 0 above).
 * Units: any frequency unit, the same for ωc, J, g, ω_j and the loss rates (times in its inverse).
 * The rates g_j enter as W = g_j g_l: Γ-like quantities are g² (the Markov rate at the band centre is
 * 2πg²·j_0(ωc) = g²/J).
 */

const INV_PI = 1 / Math.PI;

/** Largest |n_j − n_l| accepted: the kernel's Bessel recurrence costs O(n) per call. */
export const MAX_SITE_SEPARATION = 1000;
/** Largest |site| accepted. */
export const MAX_SITE = 1e6;
/** Emitter frequencies accepted: ω_j ∈ [ωc − FREQUENCY_SPAN·J, ωc + FREQUENCY_SPAN·J]. */
export const FREQUENCY_SPAN = 100;
/** Couplings accepted: 0 < g ≤ MAX_G_OVER_J·J. */
export const MAX_G_OVER_J = 100;
/** |ωc| accepted. */
export const OMEGA_C_RANGE = { min: -1e4, max: 1e4, unit: 'cavity frequency, any unit (the same for hopping, g, omega0, loss)' } as const;
/** Hopping J accepted. */
export const HOPPING_RANGE = { min: 0, minOpen: true, max: 1e3, unit: 'hopping J > 0, same unit as omegaC' } as const;

// ---------------------------------------------------------------------------------------------
// Bessel functions of the first kind and integer order.

/** Hankel's expansion (DLMF 10.17.3) for J_ν(x), ν ∈ {0, 1}, x ≥ 25: terms until below 1e-17. */
function hankelJ(nu: 0 | 1, x: number): number {
  const mu = 4 * nu * nu;
  let p = 1;
  let q = 0;
  let a = 1; // a_k(ν)/x^k, signed
  for (let k = 1; k < 40; k++) {
    a *= (mu - (2 * k - 1) * (2 * k - 1)) / (8 * k * x);
    // P = Σ (−1)^k a_{2k} x^{−2k},  Q = Σ (−1)^k a_{2k+1} x^{−2k−1}
    const half = k >> 1;
    const sign = half % 2 === 0 ? 1 : -1;
    if (k % 2 === 0) p += sign * a;
    else q += sign * a;
    if (Math.abs(a) < 1e-17) break;
  }
  const s = Math.sin(x);
  const c = Math.cos(x);
  // ω = x − π/4 − νπ/2: ν = 0: cos ω = (c + s)/√2, sin ω = (s − c)/√2; ν = 1: cos ω = (s − c)/√2, sin ω = −(s + c)/√2.
  const cw = nu === 0 ? c + s : s - c;
  const sw = nu === 0 ? s - c : -(s + c);
  return Math.sqrt(1 / (Math.PI * x)) * (p * cw - q * sw);
}

/** J0(x), J1(x) for x ≥ 0: stdlib below 25, Hankel's expansion from 25 on. */
function besselJ01(nu: 0 | 1, x: number): number {
  if (x < 25) return nu === 0 ? besselJ0(x) : besselJ1(x);
  return hankelJ(nu, x);
}

/**
 * J_n(x), Bessel function of the first kind of integer order n ≥ 0, for x ≥ 0 (shared/scenes.md §5).
 *
 * ## Method
 * x < 1e-5: the series (x/2)^n/n!·(1 − (x/2)²/(n + 1)) (next term below 1e-20 relative).
 * n < x: forward recurrence J_{k+1} = (2k/x)J_k − J_{k−1} from J0, J1 (stdlib below x = 25, Hankel's
 * expansion above), stable for k < x. n ≥ x: Miller's backward recurrence from
 * m = n + 20 + ⌈√(160·n)⌉ (even) with J_m+1 = 0, J_m = 1, rescaled whenever the values pass 1e250, and
 * normalised by J0 + 2ΣJ_2k = 1 (DLMF 10.12.4). Measured against mpmath on n ≤ 1000,
 * x ∈ [1e-3, 1e7] (test/model/reservoirs/cavityArray.test.ts, fixture reference.cavity.json):
 * ≤ 3e-15 relative to max(|J_n(x)|, min(1, √(2/(πx)))) for n ≥ x, and for n < x an absolute error
 * that grows with n (the recurrence's rounding): ≤ 1e-14·√(2/(πx))·(1 + n/10); the test states the
 * measured value.
 */
export function besselJn(n: number, x: number): number {
  if (n === 0) return besselJ01(0, x);
  if (n === 1) return besselJ01(1, x);
  if (x === 0) return 0;
  if (x < 1e-5) {
    const h = 0.5 * x;
    let v = 1;
    for (let k = 1; k <= n; k++) {
      v *= h / k;
      if (v === 0) return 0;
    }
    return v * (1 - (h * h) / (n + 1));
  }
  if (n < x) {
    let jm = besselJ01(0, x);
    let j = besselJ01(1, x);
    const tox = 2 / x;
    for (let k = 1; k < n; k++) {
      const jp = k * tox * j - jm;
      jm = j;
      j = jp;
    }
    return j;
  }
  const m = 2 * Math.ceil((n + 20 + Math.ceil(Math.sqrt(160 * n))) / 2);
  const tox = 2 / x;
  let bjp = 0;
  let bj = 1;
  let sum = 0;
  let ans = 0;
  for (let k = m; k > 0; k--) {
    const bjm = k * tox * bj - bjp; // J_{k−1} (unnormalised)
    bjp = bj;
    bj = bjm;
    if (Math.abs(bj) > 1e250) {
      bj *= 1e-250;
      bjp *= 1e-250;
      ans *= 1e-250;
      sum *= 1e-250;
    }
    if ((k - 1) % 2 === 0) sum += bj;
    if (k - 1 === n) ans = bj;
  }
  // sum = J0 + J2 + J4 + …; J0 + 2(J2 + J4 + …) = 1.
  return ans / (2 * sum - bj);
}

// ---------------------------------------------------------------------------------------------
// Components.

/** The component of separation n ≥ 0 for a band centred at ωc with hopping J > 0 (formulas in the file comment). */
export function cavityComponent(n: number, omegaC: number, hopping: number): Component {
  const J2 = 2 * hopping;
  const lo = omegaC - J2;
  const hi = omegaC + J2;
  /** √(4J² − Δ²) = √((ω − lo)(hi − ω)), measured from the edges (no cancellation near them). */
  const width = (omega: number): number => Math.sqrt((omega - lo) * (hi - omega));
  /**
   * R = sgn(Δ)√(Δ² − 4J²) = ±√(u(u + 4J)) with u the distance to the nearer edge (lo − E below, E − hi
   * above: never negative for E outside [lo, hi], whereas |Δ| − 2J can round to −0 or below), and
   * (−x)^n with x = 2J/(Δ + R).
   */
  const outside = (E: number): { d: number; R: number; p: number } => {
    const d = E - omegaC;
    const below = E < lo;
    const u = below ? lo - E : E - hi;
    const R = (below ? -1 : 1) * Math.sqrt(u * (u + 2 * J2));
    const x = J2 / (d + R);
    return { d, R, p: n === 0 ? 1 : Math.pow(-x, n) };
  };
  const cosN = (c: number, s: number): number => Math.cos(n * Math.atan2(s, c));
  return {
    label: n === 0 ? 'cavity self' : `cavity |Δn|=${n}`,
    bands: [[lo, hi]],
    edges: [lo, hi],
    singularTimes: [],
    density(omega) {
      if (!(omega > lo && omega < hi)) return 0;
      const d = omega - omegaC;
      const w = width(omega);
      // cos q = −Δ/(2J), sin q = w/(2J)
      return n === 0 ? INV_PI / w : (INV_PI * cosN(-d, w)) / w;
    },
    kernel(t, out, o) {
      const b = besselJn(n, J2 * t);
      const c = Math.cos(omegaC * t);
      const s = -Math.sin(omegaC * t);
      // i^n·b·(c + i s)
      switch (n & 3) {
        case 0: out[o] = b * c; out[o + 1] = b * s; break;
        case 1: out[o] = -b * s; out[o + 1] = b * c; break;
        case 2: out[o] = -b * c; out[o + 1] = -b * s; break;
        default: out[o] = b * s; out[o + 1] = -b * c; break;
      }
    },
    selfEnergy(E) {
      const { R, p } = outside(E);
      return p / R;
    },
    selfEnergyDerivative(E) {
      const { d, R, p } = outside(E);
      return (p * (n * R + d)) / (R * R * R);
    },
    levelShift(omega) {
      const d = omega - omegaC;
      if (n === 0) return 0;
      const w = width(omega);
      return Math.sin(n * Math.atan2(w, -d)) / w;
    },
  };
}

/** Couples emitters on `sites` with couplings `g` to the array: one component per distinct |Δn|, W = g_j g_l. */
export function cavityCoupling(sites: readonly number[], g: readonly number[], omegaC: number, hopping: number): Coupling {
  const n = sites.length;
  const seps = [...new Set(sites.flatMap((a) => sites.map((b) => Math.abs(a - b))))].sort((a, b) => a - b);
  if (seps[0] !== 0) seps.unshift(0);
  const index = new Map(seps.map((s, i) => [s, i]));
  const weights = seps.map(() => new Float64Array(n * n));
  for (let j = 0; j < n; j++) {
    for (let l = 0; l < n; l++) {
      weights[index.get(Math.abs(sites[j] - sites[l]))!][j * n + l] = j === l ? g[j] * g[j] : g[j] * g[l];
    }
  }
  return makeCoupling(n, seps.map((s) => cavityComponent(s, omegaC, hopping)), weights);
}

/** Builds the reservoir of `{"type": "cavity-array", "omegaC": ωc, "hopping": J}` (path for errors). */
export function cavityArrayReservoir(spec: Record<string, unknown>, path = 'scene.reservoir'): Reservoir {
  rejectUnknownKeys(spec, ['type', 'omegaC', 'hopping'], path);
  const omegaC = checkNumber('omegaC', spec.omegaC, OMEGA_C_RANGE, `${path}.omegaC`);
  const hopping = checkNumber('hopping', spec.hopping, HOPPING_RANGE, `${path}.hopping`);
  const gRange = { min: 0, minOpen: true, max: MAX_G_OVER_J * hopping, unit: `coupling g > 0, at most ${MAX_G_OVER_J}·hopping; a negative g is the gauge c_j → −c_j` };
  return {
    type: 'cavity-array',
    description: `coupled-cavity array, ωc = ${omegaC}, J = ${hopping} (band [${omegaC - 2 * hopping}, ${omegaC + 2 * hopping}])`,
    emitterFields: ['site', 'g'],
    frequencyRange: {
      min: omegaC - FREQUENCY_SPAN * hopping,
      max: omegaC + FREQUENCY_SPAN * hopping,
      unit: `ωc ± ${FREQUENCY_SPAN}·hopping, the array's frequency unit`,
    },
    couple(emitters: readonly EmitterPlacement[], epath = 'scene.emitters') {
      const sites: number[] = [];
      const g: number[] = [];
      emitters.forEach((e, j) => {
        const site = e.site;
        if (typeof site !== 'number' || !Number.isInteger(site) || Math.abs(site) > MAX_SITE) {
          throw new ParameterError('site', site, `must be an integer lattice site in [${-MAX_SITE}, ${MAX_SITE}]`, `${epath}[${j}].site`);
        }
        sites.push(site);
        g.push(checkNumber('g', e.g, gRange, `${epath}[${j}].g`));
      });
      const lo = Math.min(...sites);
      const hi = Math.max(...sites);
      if (hi - lo > MAX_SITE_SEPARATION) {
        throw new ParameterError('site', hi, `emitters must lie within ${MAX_SITE_SEPARATION} sites of each other (this one is ${hi - lo} sites from emitter ${sites.indexOf(lo) + 1})`, `${epath}[${sites.indexOf(hi)}].site`);
      }
      return cavityCoupling(sites, g, omegaC, hopping);
    },
  };
}

registerReservoir('cavity-array', cavityArrayReservoir, [
  {
    name: 'ωc = 0, J = 1, neighbouring sites, ω0 = 0.5, g = 0.3 (scenes.md public values)',
    reservoir: { type: 'cavity-array', omegaC: 0, hopping: 1 },
    emitters: [
      { site: 0, g: 0.3, omega0: 0.5, role: 'charger' },
      { site: 1, g: 0.3, omega0: 0.5, role: 'battery' },
    ],
  },
  {
    name: 'ωc = 10, J = 1, three unequal emitters on sites 0, 2, 5, one above the band',
    reservoir: { type: 'cavity-array', omegaC: 10, hopping: 1 },
    emitters: [
      { site: 0, g: 0.4, omega0: 9, role: 'charger' },
      { site: 2, g: 0.25, omega0: 10.5, role: 'battery' },
      { site: 5, g: 0.6, omega0: 12.3, role: 'battery' },
    ],
  },
]);
