import { PARAM_RANGES } from '../src/model/params.js';
import { DEBYE, EPSILON0, HBAR, MAX_DIPOLE, NV_DIPOLE_DEBYE, SPEED_OF_LIGHT, type WaveguideGeometry } from '../src/model/waveguide.js';
import { UsageError } from './errors.js';

/**
 * `qbwave design`: which input puts Γ11/ω11 outside the model's range, and what would be allowed.
 *
 * Γ11/ω11 = 4 d² sin²(πx0/a) sin²(πy0/b) / (ħ ε0 a b c) (Eq. 2 of the paper; src/model/waveguide.ts)
 * is evaluated here in logarithms, so that a dipole of 1e-320 D or an emitter 1e-300 of the side
 * from a wall gives a finite log Γ11 instead of an underflowed 0 whose cause is lost. The smallest
 * accepted Γ11 is where the product above stops underflowing (gammaBounds).
 */

/** Smallest positive normal double: below it Γ11 (a product of small factors) loses precision. */
const MIN_NORMAL = 2.2250738585072014e-308;
/** The largest dipole the library accepts (MAX_DIPOLE = 1e-25 C·m, src/model/waveguide.ts), in debye: 29979.2458. */
export const MAX_DIPOLE_DEBYE = MAX_DIPOLE / DEBYE;

export interface GammaInputs {
  guide: WaveguideGeometry;
  /** Dipole in debye (kept in debye: d·DEBYE may already have underflowed). */
  dipoleDebye: number;
  /** Transverse position as fractions x0/a, y0/b of the sides (kept as fractions: 1e-320·a underflows). */
  u: number;
  v: number;
  /** The flags the user gave, with the text typed (undefined: not given). */
  given: { dipole?: string; x0?: string; y0?: string; a?: string; b?: string; wavelength?: string };
}

/** ln(Γ11/ω11) for the inputs, finite whenever every factor is non-zero. */
export function logGamma11(inp: GammaInputs): number {
  const { guide } = inp;
  const sx = Math.abs(Math.sin(Math.PI * inp.u));
  const sy = Math.abs(Math.sin(Math.PI * inp.v));
  return Math.log(4) + 2 * (Math.log(inp.dipoleDebye) + Math.log(DEBYE)) + 2 * Math.log(sx) + 2 * Math.log(sy)
    - (Math.log(HBAR) + Math.log(EPSILON0) + Math.log(guide.a) + Math.log(guide.b) + Math.log(SPEED_OF_LIGHT));
}

/**
 * The allowed Γ11 interval [lo, hi] in this guide: the model's range, with lo raised so that the
 * numerator 4d²sin²sin² = Γ11·ħε0abc of Eq. (2) is a normal double (below, it underflows and Γ11
 * loses digits or becomes 0): lo = 2.2e-308/(ħε0abc), ≈ 4e-259 for a = b = 450 nm.
 */
export function gammaBounds(guide: WaveguideGeometry): { lo: number; hi: number } {
  const r = PARAM_RANGES.gamma11 as { min: number; max: number };
  const k = HBAR * EPSILON0 * guide.a * guide.b * SPEED_OF_LIGHT;
  return { lo: Math.max(r.min, MIN_NORMAL, MIN_NORMAL / k), hi: r.max };
}

/** e^x as text with 4 significant digits, also when e^x is outside the double range. */
function expText(lnx: number): string {
  if (lnx === -Infinity) return '0';
  const l10 = lnx / Math.LN10;
  let e = Math.floor(l10);
  let m = 10 ** (l10 - e);
  if (Number(m.toPrecision(4)) >= 10) { m /= 10; e += 1; }
  return `${m.toPrecision(4)}e${e}`;
}

/** x with 4 significant digits, rounded up (dir 1) or down (dir −1), so a suggested bound is inside. */
function round4(x: number, dir: 1 | -1): string {
  if (!(x > 0) || !Number.isFinite(x)) return String(x);
  const e = Math.floor(Math.log10(x)) - 3;
  const scaled = x / 10 ** e;
  const r = dir > 0 ? Math.ceil(scaled - 1e-9) : Math.floor(scaled + 1e-9);
  return Number((r * 10 ** e).toPrecision(4)).toString();
}

/**
 * Throws a UsageError naming the input that puts Γ11 outside [lo, hi] — the flag the user gave whose
 * factor deviates most from the default in that direction (the dipole, x0 or y0 for a too small Γ11;
 * the dipole or the guide size for a too large one) — with its value and the range it would need,
 * the other inputs held fixed. Returns ln Γ11 when it is inside.
 */
export function checkGamma11(inp: GammaInputs): number {
  const { lo, hi } = gammaBounds(inp.guide);
  const lnG = logGamma11(inp);
  const lnLo = Math.log(lo);
  const lnHi = Math.log(hi);
  if (lnG >= lnLo && lnG <= lnHi) return lnG;
  const range = `Γ11 must be in [${round4(lo, 1)}, ${hi}] ω11${lnG < lnLo ? ' (below, Eq. 2 underflows in double precision)' : ''}`;
  const gText = `gives Γ11 = ${expText(lnG)} ω11`;
  const sin = (u: number) => Math.abs(Math.sin(Math.PI * u));
  const { given, guide } = inp;
  const lnDip = 2 * Math.log(inp.dipoleDebye / NV_DIPOLE_DEBYE);
  // The dipole needed for Γ11 = g with everything else fixed: Γ11 ∝ d².
  const dipoleFor = (lnTarget: number) => inp.dipoleDebye * Math.exp((lnTarget - lnG) / 2);
  const dipoleRange = () => `dipole in [${round4(dipoleFor(lnLo), 1)}, ${round4(Math.min(dipoleFor(lnHi), MAX_DIPOLE_DEBYE), -1)}] D here`;
  if (lnG < lnLo) {
    const candidates: Array<[keyof GammaInputs['given'], number]> = [];
    if (given.dipole !== undefined) candidates.push(['dipole', lnDip]);
    if (given.x0 !== undefined) candidates.push(['x0', 2 * Math.log(sin(inp.u))]);
    if (given.y0 !== undefined) candidates.push(['y0', 2 * Math.log(sin(inp.v))]);
    candidates.sort((p, q) => p[1] - q[1]);
    const culprit = candidates[0]?.[0];
    if (culprit === 'x0' || culprit === 'y0') {
      const pos = culprit === 'x0' ? inp.u : inp.v;
      // Γ11 ∝ sin²(πu): Γ11 ≥ lo needs sin(πu) ≥ √q, q = lo·sin²(πu)/Γ11.
      const lnSqrtQ = 0.5 * (lnLo - lnG) + Math.log(sin(pos));
      const name = culprit === 'x0' ? 'a' : 'b';
      if (lnSqrtQ < 0) {
        const u = Math.asin(Math.exp(lnSqrtQ)) / Math.PI;
        throw new UsageError(`--${culprit} ${JSON.stringify(given[culprit])}: so close to the wall that it ${gText}; ${range}, which needs ${culprit} in [${round4(u, 1)}, 1 − ${round4(u, 1)}] of ${name} with the other inputs`);
      }
    }
    if (culprit !== undefined && culprit !== 'dipole' && given.dipole === undefined) {
      throw new UsageError(`--${culprit} ${JSON.stringify(given[culprit])}: ${gText}; ${range}`);
    }
    if (given.dipole !== undefined) {
      throw new UsageError(`--dipole ${JSON.stringify(given.dipole)}: ${gText}; ${range}, which needs a ${dipoleRange()}`);
    }
  } else {
    if (given.dipole !== undefined && lnDip > 0) {
      throw new UsageError(`--dipole ${JSON.stringify(given.dipole)}: ${gText}; ${range}, which needs a ${dipoleRange()}`);
    }
    // Γ11 ∝ 1/(a·b): the guide is too small for this dipole.
    const minArea = guide.a * guide.b * Math.exp(lnG - lnHi);
    if (given.a !== undefined) {
      const sides = `--a ${JSON.stringify(given.a)}${given.b !== undefined ? ` --b ${JSON.stringify(given.b)}` : ''}`;
      throw new UsageError(`${sides}: so small a guide ${gText} with a ${round4(inp.dipoleDebye, 1)} D dipole; ${range}, which needs a·b ≥ ${round4(minArea, 1)} m²`);
    }
    throw new UsageError(`--wavelength ${JSON.stringify(given.wavelength ?? '')}: sizes so small a guide that it ${gText} with a ${round4(inp.dipoleDebye, 1)} D dipole; ${range}, which needs a·b ≥ ${round4(minArea, 1)} m² (a longer wavelength or a larger --omega0-ratio)`);
  }
  throw new UsageError(`--dipole/--x0/--y0: ${gText}; ${range}`);
}
