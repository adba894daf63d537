import { checkNumber, ParameterError } from '../errors.js';
import { argNumber, argObject } from '../arguments.js';

/**
 * The rectangular hollow metal waveguide of the paper in SI units, and its conversion to the
 * dimensionless model parameters (ω0 and Γ11 in ω11, Δz in λ11).
 *
 * Formulas (Eq. 1–2 of the paper, ħ restored):
 * - TM_mn cutoff ω_mn = cπ·√((m/a)² + (n/b)²); the model keeps only TM11: ω11 = cπ·√(1/a² + 1/b²).
 * - λ11 = 2πc/ω11 = 2/√(1/a² + 1/b²)  (= √2·a for a square guide).
 * - Γ11 = 4ω11 d² sin²(πx0/a) sin²(πy0/b) / (ħ ε0 a b c), so Γ11/ω11 = 4 d² s² / (ħ ε0 a b c).
 * - ω0/ω11 = λ11/λ0 for an emitter of vacuum wavelength λ0 = 2πc/ω0.
 * - Δz/λ11 for a distance Δz in metres.
 *
 * Constants: CODATA 2022 recommended values (c, h, e exact in the SI since 2019; ε0 measured).
 * Example: a = b = 0.45 μm gives λ11 = √2·0.45 μm = 636.40 nm, so the NV zero-phonon line
 * λ0 = 637 nm sits at ω0 = 0.99906ω11 ≈ 1.0ω11 (the paper's example).
 */

/** Speed of light in vacuum c, m/s (exact). */
export const SPEED_OF_LIGHT = 299_792_458;
/** Planck constant h, J·s (exact). */
export const PLANCK = 6.626_070_15e-34;
/** Reduced Planck constant ħ = h/2π, J·s. */
export const HBAR = PLANCK / (2 * Math.PI);
/** Vacuum electric permittivity ε0, F/m (CODATA 2022: 8.8541878188(14)e-12). */
export const EPSILON0 = 8.854_187_818_8e-12;
/** One debye, C·m: 1e-21/c (exact by definition of the statcoulomb·cm). */
export const DEBYE = 1e-21 / SPEED_OF_LIGHT;

/** The largest transition dipole accepted, C·m (≈ 3·10⁴ D: far above any molecular or solid-state emitter). */
export const MAX_DIPOLE = 1e-25;

/**
 * Default transition dipole for the NV⁻ centre 637 nm line: 5.3 D.
 *
 * Derived from the spontaneous-emission rate in bulk diamond, Γ = n ω³ d² / (3π ε0 ħ c³), with the
 * excited-state (³E) radiative lifetime ≈ 12 ns and refractive index n = 2.4 (Doherty et al.,
 * "The nitrogen-vacancy colour centre in diamond", Phys. Rep. 528, 1 (2013), Sec. 3): d ≈ 1.77e-29 C·m
 * ≈ 5.3 D. This is the dipole of the whole band (zero-phonon line plus phonon sideband); the
 * zero-phonon line alone carries only the Debye–Waller fraction (≈ 3 %) of the rate, i.e. ≈ 0.9 D.
 * Either way Γ11/ω11 comes out ~1e-8, orders of magnitude below the paper's Γ11 = 0.5ω11 (see
 * docs/reproduction.md).
 */
export const NV_DIPOLE_DEBYE = 5.3;

/** Transverse cross-section of the guide, metres. */
export interface WaveguideGeometry {
  /** Width a, m (x direction). */
  a: number;
  /** Height b, m (y direction). */
  b: number;
}

/** A z-polarised emitter in the guide: dipole |d| in C·m, transverse position (x0, y0) in m. */
export interface Emitter {
  dipole: number;
  x0: number;
  y0: number;
}

/**
 * Lengths accepted (guide sides, wavelengths): a picometre to a kilometre. The lower end keeps 1/a and
 * the cutoff finite (at a = 1e-308, 1/a overflows and λ11 became 0, ω0/ω11 = ∞); both ends are far
 * outside any optical or microwave guide.
 */
const LENGTH = { min: 1e-12, max: 1e3, unit: 'metres' };

function checkGeometry(g: WaveguideGeometry, path = 'guide'): WaveguideGeometry {
  const o = argObject('guide', g, '{a, b} (metres)', path);
  return { a: checkNumber('a', o.a, LENGTH, `${path}.a`), b: checkNumber('b', o.b, LENGTH, `${path}.b`) };
}

/** TM_mn cutoff angular frequency ω_mn = cπ√((m/a)² + (n/b)²), rad/s (a, b in m). */
export function cutoffFrequency(guide: WaveguideGeometry, m = 1, n = 1): number {
  const { a, b } = checkGeometry(guide);
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || n < 0 || m > 1000 || n > 1000) throw new ParameterError('mode', `${String(m)},${String(n)}`, 'mode indices m, n must be integers in [0, 1000]', 'm, n');
  return SPEED_OF_LIGHT * Math.PI * Math.hypot(m / a, n / b);
}

/** ω11 = cπ√(1/a² + 1/b²), rad/s. Example: a = b = 0.45 μm → 2.9600e15 rad/s. */
export function omega11(guide: WaveguideGeometry): number {
  return cutoffFrequency(guide, 1, 1);
}

/** λ11 = 2πc/ω11 = 2/√(1/a² + 1/b²), m. Example: a = b = 0.45 μm → 6.3640e-7 m. */
export function lambda11(guide: WaveguideGeometry): number {
  const { a, b } = checkGeometry(guide);
  return 2 / Math.hypot(1 / a, 1 / b);
}

/** ω0/ω11 = λ11/λ0 for an emitter of vacuum wavelength λ0 (m). Example: a = b = 0.27 μm, 637 nm → 0.5994. */
export function omega0Ratio(guide: WaveguideGeometry, wavelength: number): number {
  const lambda0 = argNumber('wavelength', wavelength, LENGTH);
  return lambda11(guide) / lambda0;
}

/** Δz in units of λ11 for a distance `dzMetres` (m). */
export function dzInLambda11(guide: WaveguideGeometry, dzMetres: number): number {
  const dz = argNumber('dz', dzMetres, { min: 0, max: 1e6, unit: 'metres' }, 'dzMetres');
  return dz / lambda11(guide);
}

/** The inverse of dzInLambda11: Δz in metres for a distance in λ11. */
export function dzInMetres(guide: WaveguideGeometry, dzLambda11: number): number {
  const dz = argNumber('dz', dzLambda11, { min: 0, max: 1e9, unit: 'units of λ11' }, 'dzLambda11');
  return dz * lambda11(guide);
}

function checkEmitter(guide: WaveguideGeometry, e: Emitter, path = 'emitter'): Emitter {
  const o = argObject('emitter', e, '{dipole (C·m), x0, y0 (m)}', path);
  return {
    dipole: checkNumber('dipole', o.dipole, { min: 0, max: MAX_DIPOLE, unit: 'C·m' }, `${path}.dipole`),
    ...checkPosition(guide, o.x0, o.y0, path === '' ? '' : `${path}.`),
  };
}

/** (x0, y0) inside the closed cross-section [0, a] × [0, b]. */
function checkPosition(guide: WaveguideGeometry, x0: unknown, y0: unknown, prefix = ''): { x0: number; y0: number } {
  return {
    x0: checkNumber('x0', x0, { min: 0, max: guide.a, unit: 'metres, inside the guide [0, a]' }, `${prefix}x0`),
    y0: checkNumber('y0', y0, { min: 0, max: guide.b, unit: 'metres, inside the guide [0, b]' }, `${prefix}y0`),
  };
}

/**
 * Γ11/ω11 = 4 d² sin²(πx0/a) sin²(πy0/b) / (ħ ε0 a b c), the dimensionless radiation rate into TM11
 * (Eq. 2 of the paper). Example: d = 5.3 D at the centre of a = b = 0.45 μm → 2.20e-8.
 */
export function gamma11Ratio(guide: WaveguideGeometry, emitter: Emitter): number {
  const g = checkGeometry(guide);
  const e = checkEmitter(g, emitter);
  const s = Math.sin((Math.PI * e.x0) / g.a) * Math.sin((Math.PI * e.y0) / g.b);
  return (4 * e.dipole * e.dipole * s * s) / (HBAR * EPSILON0 * g.a * g.b * SPEED_OF_LIGHT);
}

/**
 * The inverse of gamma11Ratio: the dipole (C·m) that gives Γ11/ω11 = `ratio` at (x0, y0),
 * d = √(Γ11/ω11 · ħ ε0 a b c)/(2|sin(πx0/a) sin(πy0/b)|). Written with |s| rather than s² so that a
 * position near a wall, where s² underflows (x0 ≲ 1e-154·a), gives a large finite dipole instead of ∞.
 * The emitter must sit strictly inside the guide: on a wall (a node of TM11) no dipole gives Γ11 > 0,
 * and a ParameterError names x0 or y0.
 */
export function dipoleForGamma11(guide: WaveguideGeometry, ratio: number, x0: number, y0: number): number {
  const g = checkGeometry(guide);
  const r = argNumber('gamma11', ratio, { min: 0, max: 1e6, unit: 'units of ω11' }, 'ratio');
  checkPosition(g, x0, y0);
  const sx = Math.sin((Math.PI * x0) / g.a);
  const sy = Math.sin((Math.PI * y0) / g.b);
  if (x0 === 0 || x0 === g.a) throw new ParameterError('x0', x0, `on a wall of the guide (a node of TM11): must be inside (0, a = ${g.a}) m`);
  if (y0 === 0 || y0 === g.b) throw new ParameterError('y0', y0, `on a wall of the guide (a node of TM11): must be inside (0, b = ${g.b}) m`);
  return Math.sqrt(r * HBAR * EPSILON0 * g.a * g.b * SPEED_OF_LIGHT) / (2 * Math.abs(sx) * Math.abs(sy));
}

/**
 * The guide that puts an emitter of vacuum wavelength λ0 at ω0 = `ratio`·ω11, for a cross-section
 * of aspect b/a = `aspect` (1 = square): λ11 = ratio·λ0 and a = (λ11/2)·√(1 + 1/aspect²), b = aspect·a.
 * Example: λ0 = 637 nm, ratio 1, square → a = b = 450.4 nm; ratio 0.6 → 270.3 nm.
 */
export function guideFor(wavelength: number, ratio: number, aspect = 1): WaveguideGeometry {
  const lambda0 = argNumber('wavelength', wavelength, LENGTH);
  const r = argNumber('omega0Ratio', ratio, { min: 0, minOpen: true, max: 1e3, unit: 'units of ω11' }, 'ratio');
  // An aspect of 1e-200 made 1/aspect² overflow (a = ∞); beyond 1e±3 a "rectangular" guide is a slit.
  const asp = argNumber('aspect', aspect, { min: 1e-3, max: 1e3, unit: 'b/a' });
  const l11 = r * lambda0;
  const a = (l11 / 2) * Math.hypot(1, 1 / asp);
  const b = asp * a;
  // The guide must itself be one the other functions accept (sides in [1e-12, 1e3] m).
  if (!(Math.min(a, b) >= LENGTH.min && Math.max(a, b) <= LENGTH.max)) {
    throw new ParameterError('omega0Ratio', r, `with wavelength ${lambda0} m and aspect ${asp} it gives a × b = ${a.toPrecision(3)} × ${b.toPrecision(3)} m, outside the sides accepted, [${LENGTH.min}, ${LENGTH.max}] m`, 'ratio');
  }
  return { a, b };
}

/** A TM_mn mode and its cutoff in units of ω11. */
export interface ModeCutoff {
  m: number;
  n: number;
  /** ω_mn/ω11. */
  ratio: number;
}

/**
 * The lowest TM mode other than TM11 that a z-polarised dipole at (x0, y0) couples to (coupling
 * ∝ sin(mπx0/a)·sin(nπy0/b) ≠ 0), with its cutoff in ω11. For ω0 above it the single-mode model
 * of Eq. (2) leaves out a decay channel. A centred emitter in a square guide couples only to odd
 * m, n: TM13/TM31 at √5·ω11 ≈ 2.236ω11 (TM12/TM21 at √2.5·ω11 have a node there). Modes whose
 * coupling is below 1e-9 of TM11's are treated as uncoupled. Modes up to m, n ≤ maxIndex (an integer in
 * [1, 1000]; ParameterError otherwise) are tried.
 */
export function nextCoupledMode(guide: WaveguideGeometry, x0: number, y0: number, maxIndex = 12): ModeCutoff | null {
  const g = checkGeometry(guide);
  checkPosition(g, x0, y0);
  // maxIndex² modes are tried: an integer bound keeps that finite (maxIndex = ∞ looped forever) and ≤ 10⁶ (≈ 10 ms).
  if (!Number.isInteger(maxIndex) || maxIndex < 1 || maxIndex > 1000) throw new ParameterError('maxIndex', maxIndex, 'must be an integer in [1, 1000] (the largest mode index m, n tried)');
  const w11 = Math.hypot(1 / g.a, 1 / g.b);
  const s11 = Math.abs(Math.sin((Math.PI * x0) / g.a) * Math.sin((Math.PI * y0) / g.b));
  let best: ModeCutoff | null = null;
  for (let m = 1; m <= maxIndex; m++) {
    for (let n = 1; n <= maxIndex; n++) {
      if (m === 1 && n === 1) continue;
      const s = Math.abs(Math.sin((m * Math.PI * x0) / g.a) * Math.sin((n * Math.PI * y0) / g.b));
      if (s <= 1e-9 * Math.max(s11, 1e-300) || s < 1e-12) continue;
      const ratio = Math.hypot(m / g.a, n / g.b) / w11;
      if (best === null || ratio < best.ratio - 1e-15) best = { m, n, ratio };
    }
  }
  return best;
}
