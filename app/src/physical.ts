/**
 * Physical units of the explorer (pure: no DOM, unit-tested in Node). In physical mode times are shown
 * in seconds with an SI prefix (fs … s) and energies in eV, with ω11 and λ11 from the guide a × b; Γ11
 * of the physical presets comes from the emitter (an NV⁻ centre, 5.3 D at the guide centre) through
 * gamma11Ratio, as `qbwave design` does.
 */
import { DEBYE, gamma11Ratio, NV_DIPOLE_DEBYE, omega11, PLANCK } from '../../src/model/waveguide.js';
import { boundStates } from '../../src/spectrum/boundStates.js';
import type { ModelParams } from '../../src/model/params.js';
import type { AppState } from './state.js';

/** Elementary charge, C (exact in the SI): 1 eV = e joules. */
export const ELEMENTARY_CHARGE = 1.602_176_634e-19;

/** The guide of a state, m. */
export function guideOf(s: Pick<AppState, 'aNm' | 'bNm'>): { a: number; b: number } {
  return { a: s.aNm * 1e-9, b: s.bNm * 1e-9 };
}

/** ħω11 in eV for the guide of `s` (a = b = 450 nm: 1.9483 eV). */
export function omega11ElectronVolts(s: Pick<AppState, 'aNm' | 'bNm'>): number {
  return (PLANCK / (2 * Math.PI)) * omega11(guideOf(s)) / ELEMENTARY_CHARGE;
}

/** Γ11/ω11 of an NV⁻ centre (NV_DIPOLE_DEBYE = 5.3 D) at the centre of the guide of `s` (450 nm: 2.2055e-8). */
export function nvGamma11(s: Pick<AppState, 'aNm' | 'bNm'>): number {
  const g = guideOf(s);
  return gamma11Ratio(g, { dipole: NV_DIPOLE_DEBYE * DEBYE, x0: g.a / 2, y0: g.b / 2 });
}

/** True when Γ11 of `s` is the NV centre's for its guide (to 1e-9 relative): the "from the NV dipole" note applies. */
export function gammaFromNv(s: AppState): boolean {
  if (s.units !== 'physical') return false;
  const g = nvGamma11(s);
  return Math.abs(s.gamma11 - g) <= 1e-9 * g;
}

const PREFIXES: ReadonlyArray<[number, string]> = [[1e-15, 'fs'], [1e-12, 'ps'], [1e-9, 'ns'], [1e-6, 'µs'], [1e-3, 'ms'], [1, 's']];

/** The SI prefix that puts `seconds` in [1, 1000): 3.4e-10 → {factor 1e-12, unit 'ps'} (below 1 fs: fs; from 1000 s: s). */
export function timePrefix(seconds: number): { factor: number; unit: string } {
  let best = PREFIXES[0]!;
  for (const p of PREFIXES) if (seconds >= p[0] * (1 - 1e-12)) best = p;
  return { factor: best[0], unit: best[1] };
}

/** A time in seconds with its prefix: 4.3341e-9 → "4.334 ns". */
export function formatSeconds(seconds: number, digits = 4): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const { factor, unit } = timePrefix(Math.abs(seconds));
  return `${Number((seconds / factor).toPrecision(digits))} ${unit}`;
}

/**
 * How a figure converts the model's numbers in physical mode: t (1/ω11) × timeScale = t in `timeUnit`;
 * E (ω11) × energyScale = E in eV. null in model mode.
 */
export interface PhysicalScales { timeScale: number; timeUnit: string; energyScale: number; omega11: number }

export function physicalScales(s: AppState): PhysicalScales | null {
  if (s.units !== 'physical') return null;
  const w11 = omega11(guideOf(s));
  const { factor, unit } = timePrefix(s.tMax / w11);
  return { timeScale: 1 / (w11 * factor), timeUnit: unit, energyScale: omega11ElectronVolts(s), omega11: w11 };
}

/** Period 2π/|E− − E+| of the charger–battery exchange (Eq. 8), 1/ω11; NaN with fewer than two bound states below the edge. */
export function exchangePeriod(params: ModelParams): number {
  const b = boundStates(params).boundStates.filter((x) => !x.inContinuum);
  const p = b.find((x) => x.channel === '+');
  const m = b.find((x) => x.channel === '-');
  return p && m && m.energy !== p.energy ? (2 * Math.PI) / Math.abs(m.energy - p.energy) : Number.NaN;
}
