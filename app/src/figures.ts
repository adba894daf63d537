/**
 * Figures as plain data (what to draw, with units), built from worker results. The same Figure is
 * drawn live by uPlot (plots.ts) and exported as SVG/PNG (svg.ts) or CSV (csv.ts).
 */
import { dataTop } from './ticks.js';
import { squaredModulus } from '../../src/dynamics/accessors.js';
import { batteryEnergyOf as batteryEnergy } from '../../src/battery/energy.js';
import { batteryErgotropyOf as batteryErgotropy } from '../../src/battery/ergotropy.js';
import type { DynamicsReply, SpectrumPointReply, SweepReply } from './protocol.js';
import type { AppState } from './state.js';
import { physicalScales, type PhysicalScales } from './physical.js';

/** Multiplies an array by `k` (a fresh Float64Array; k = 1 returns the input). */
function scaled(a: ArrayLike<number>, k: number): ArrayLike<number> {
  if (k === 1) return a;
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! * k;
  return out;
}

/** Axis and column words for time and energy: model units (1/ω11, ω11) or physical (s with prefix, eV). */
function axisUnits(ph: PhysicalScales | null): { t: number; tLabel: string; tColumn: string; e: number; eLabel: string; eColumn: string } {
  if (!ph) return { t: 1, tLabel: '1/ω11', tColumn: '1/omega11', e: 1, eLabel: 'ω11', eColumn: 'omega11' };
  const ascii = ph.timeUnit === 'µs' ? 'us' : ph.timeUnit;
  return { t: ph.timeScale, tLabel: ph.timeUnit, tColumn: ascii, e: ph.energyScale, eLabel: 'eV', eColumn: 'eV' };
}

export interface SeriesSpec {
  label: string;
  /** NaN marks a gap. */
  values: ArrayLike<number>;
  color: string;
  dash?: number[];
  width?: number;
}

/** A horizontal band y0 ≤ y ≤ y1 (y1 may be +Infinity: up to the top of the plot). */
export interface Band {
  y0: number;
  y1: number;
  fill: string;
  stroke?: string;
  label: string;
}

export interface VLine {
  x: number;
  color: string;
  label: string;
  dash?: number[];
}

export interface Marker {
  x: number;
  y: number;
  color: string;
  label: string;
}

/** The two-emitter page's figures. */
export type PairFigureId = 'energy' | 'populations' | 'spectrum' | 'densities';
/** The scene editor's figures (app/src/scene/sceneFigures.ts). */
export type SceneFigureId = 'scene-populations' | 'scene-bank' | 'scene-density';

export interface Figure {
  id: PairFigureId | SceneFigureId;
  title: string;
  /** Axis titles carry their units. */
  xLabel: string;
  yLabel: string;
  /** Column names for CSV (ASCII, with units). */
  xColumn: string;
  x: ArrayLike<number>;
  series: (SeriesSpec & { column: string })[];
  bands: Band[];
  vlines: VLine[];
  markers: Marker[];
  xRange?: [number, number];
  yRange?: [number, number];
  /** One-line description for screen readers and the CSV header. */
  summary: string;
}

export const COLORS = {
  energy: '#1f5fbf',
  ergotropy: '#c2410c',
  steady: 'rgba(22, 163, 74, 0.18)',
  steadyStroke: '#15803d',
  c1: '#7c3aed',
  c2: '#1f5fbf',
  plus: '#1f5fbf',
  minus: '#15803d',
  bare: '#6b7280',
  continuum: 'rgba(107, 114, 128, 0.16)',
  current: '#dc2626',
  /** The comparison method's curves (dashed). */
  energyCompare: '#38bdf8',
  ergotropyCompare: '#f59e0b',
  c1Compare: '#a78bfa',
  c2Compare: '#60a5fa',
};

/** Dash of the comparison method's curves. */
const COMPARE_DASH = [3, 3];

const fmt = (v: number, d = 4) => (Number.isFinite(v) ? Number(v.toPrecision(d)).toString() : '—');

export function paramLine(s: AppState): string {
  return `ω0 = ${fmt(s.omega0, 6)} ω11, Δz = ${fmt(s.dz, 6)} λ11, Γ11 = ${fmt(s.gamma11, 6)} ω11`;
}


/** Battery energy E(t) = ω0|c2|² (Eq. 4) and ergotropy W(t) = ω0·max(0, 2|c2|² − 1) (Eq. 5), from the core. */
export function batteryCurves(omega0: number, c2: Float64Array): { energy: Float64Array; ergotropy: Float64Array } {
  const n = c2.length / 2;
  const energy = new Float64Array(n);
  const ergotropy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    energy[i] = batteryEnergy(c2[2 * i], c2[2 * i + 1], omega0);
    ergotropy[i] = batteryErgotropy(c2[2 * i], c2[2 * i + 1], omega0);
  }
  return { energy, ergotropy };
}

export function energyFigure(s: AppState, dyn: DynamicsReply | null, point: SpectrumPointReply | null): Figure {
  const omega0 = s.omega0;
  const u = axisUnits(physicalScales(s));
  const t = scaled(dyn?.t ?? new Float64Array(0), u.t);
  const model = dyn ? batteryCurves(omega0, dyn.c2) : { energy: new Float64Array(0), ergotropy: new Float64Array(0) };
  const energy = scaled(model.energy, u.e);
  const ergotropy = scaled(model.ergotropy, u.e);
  const cmp = dyn?.compare;
  const otherModel = cmp ? batteryCurves(omega0, cmp.c2) : null;
  const other = otherModel ? { energy: scaled(otherModel.energy, u.e), ergotropy: scaled(otherModel.ergotropy, u.e) } : null;
  const bands: Band[] = [];
  if (point) {
    bands.push({ y0: point.steady.energyMin * u.e, y1: point.steady.energyMax * u.e, fill: COLORS.steady, stroke: COLORS.steadyStroke, label: 'E(∞) range, Eq. (8)' });
  }
  const vlines: VLine[] = [];
  const lt = dyn?.longTime;
  if (lt && lt.route === 'exact+bound-states' && lt.continuumTime > 0 && lt.continuumTime < s.tMax) {
    vlines.push({ x: lt.continuumTime * u.t, color: COLORS.bare, label: 'T_c: beyond, bound states only', dash: [2, 3] });
  }
  return {
    id: 'energy',
    title: 'Battery energy and ergotropy',
    xLabel: `time t (${u.tLabel})`,
    yLabel: `energy (${u.eLabel})`,
    xColumn: `t (${u.tColumn})`,
    x: t,
    series: [
      { label: 'E(t) = ω0|c2|²', column: `E (${u.eColumn})`, values: energy, color: COLORS.energy, width: 2 },
      { label: 'W(t) ergotropy', column: `W (${u.eColumn})`, values: ergotropy, color: COLORS.ergotropy, dash: [6, 4], width: 2 },
      ...(cmp && other ? [
        { label: `E(t) ${cmp.method}`, column: `E ${cmp.method} (${u.eColumn})`, values: other.energy, color: COLORS.energyCompare, dash: COMPARE_DASH, width: 1.5 },
        { label: `W(t) ${cmp.method}`, column: `W ${cmp.method} (${u.eColumn})`, values: other.ergotropy, color: COLORS.ergotropyCompare, dash: COMPARE_DASH, width: 1.5 },
      ] : []),
    ],
    bands,
    vlines,
    markers: [],
    xRange: [0, s.tMax * u.t],
    // Fit the data and the Eq. (8) band, not ω0: a 0.45 peak at ω0 = 3 used to sit on a 0–3 axis.
    yRange: [0, dataTop([energy, ergotropy, point ? [point.steady.energyMax * u.e] : [], other?.energy ?? []], 1e-3 * u.e)],
    summary: `Battery energy E(t) and ergotropy W(t) for ${paramLine(s)}, method ${dyn?.method ?? s.method}${cmp ? `, dashed: ${cmp.method} (${cmp.status})` : ''}` +
      (point ? `; steady band E(∞) ∈ [${fmt(point.steady.energyMin * u.e)}, ${fmt(point.steady.energyMax * u.e)}] ${u.eLabel}` : '') +
      (u.t !== 1 ? `; time in ${u.tLabel}, energies in eV (ħω11 = ${fmt(u.e, 6)} eV)` : ''),
  };
}

export function populationsFigure(s: AppState, dyn: DynamicsReply | null): Figure {
  const u = axisUnits(physicalScales(s));
  const t = scaled(dyn?.t ?? new Float64Array(0), u.t);
  const p1 = dyn ? squaredModulus(dyn.c1) : new Float64Array(0);
  const p2 = dyn ? squaredModulus(dyn.c2) : new Float64Array(0);
  return {
    id: 'populations',
    title: 'Charger and battery populations',
    xLabel: `time t (${u.tLabel})`,
    yLabel: 'population (dimensionless)',
    xColumn: `t (${u.tColumn})`,
    x: t,
    series: [
      { label: '|c1|² charger', column: '|c1|^2', values: p1, color: COLORS.c1, width: 2 },
      { label: '|c2|² battery', column: '|c2|^2', values: p2, color: COLORS.c2, width: 2 },
      ...(dyn?.compare ? [
        { label: `|c1|² ${dyn.compare.method}`, column: `|c1|^2 ${dyn.compare.method}`, values: squaredModulus(dyn.compare.c1), color: COLORS.c1Compare, dash: COMPARE_DASH, width: 1.5 },
        { label: `|c2|² ${dyn.compare.method}`, column: `|c2|^2 ${dyn.compare.method}`, values: squaredModulus(dyn.compare.c2), color: COLORS.c2Compare, dash: COMPARE_DASH, width: 1.5 },
      ] : []),
    ],
    bands: [],
    vlines: [],
    markers: [],
    xRange: [0, s.tMax * u.t],
    yRange: [0, 1],
    summary: `Excited-state populations |c1(t)|² and |c2(t)|² for ${paramLine(s)}`,
  };
}

export function spectrumFigure(s: AppState, sweep: SweepReply | null, point: SpectrumPointReply | null): Figure {
  const kind = sweep?.spec.kind ?? s.sweep;
  const x = sweep?.x ?? new Float64Array(0);
  const cur = kind === 'omega0' ? s.omega0 : s.dz;
  const u = axisUnits(physicalScales(s));
  const series: Figure['series'] = [
    { label: 'E+ (symmetric)', column: `E+ (${u.eColumn})`, values: scaled(sweep?.ePlus ?? new Float64Array(0), u.e), color: COLORS.plus, width: 2 },
    { label: 'E− (antisymmetric)', column: `E- (${u.eColumn})`, values: scaled(sweep?.eMinus ?? new Float64Array(0), u.e), color: COLORS.minus, dash: [8, 3, 2, 3], width: 2 },
  ];
  if (kind === 'omega0') {
    series.push({ label: 'bare ω0', column: `bare omega0 (${u.eColumn})`, values: scaled(x, u.e), color: COLORS.bare, dash: [2, 3], width: 1 });
  }
  const markers: Marker[] = (point?.boundStates ?? [])
    .filter((b) => !b.inContinuum)
    .map((b) => ({ x: cur, y: b.energy * u.e, color: COLORS.current, label: `E${b.channel} = ${fmt(b.energy * u.e, 6)} ${u.eLabel}` }));
  let lo = 0;
  for (const arr of [sweep?.ePlus, sweep?.eMinus]) if (arr) for (const v of arr) if (Number.isFinite(v)) lo = Math.min(lo, v);
  for (const m of markers) lo = Math.min(lo, m.y / u.e);
  lo = Math.floor((lo - 0.05) * 10) / 10;
  return {
    id: 'spectrum',
    title: kind === 'omega0' ? 'Energy spectrum vs ω0' : 'Energy spectrum vs Δz',
    xLabel: kind === 'omega0' ? 'ω0 (ω11)' : 'Δz (λ11)',
    yLabel: `energy E (${u.eLabel})`,
    xColumn: kind === 'omega0' ? 'omega0 (omega11)' : 'dz (lambda11)',
    x,
    series,
    bands: [{ y0: u.e, y1: Number.POSITIVE_INFINITY, fill: COLORS.continuum, label: u.e === 1 ? 'continuum E > ω11' : `continuum E > ħω11 = ${fmt(u.e, 5)} eV` }],
    vlines: [{ x: cur, color: COLORS.current, label: kind === 'omega0' ? 'current ω0' : 'current Δz', dash: [3, 3] }],
    markers,
    xRange: sweep ? [sweep.spec.min, sweep.spec.max] : undefined,
    yRange: [lo * u.e, 1.6 * u.e],
    summary: `Bound-state energies E± below the band edge as a function of ${kind === 'omega0' ? 'ω0' : 'Δz'} (Γ11 = ${fmt(s.gamma11)} ω11, ` +
      `${kind === 'omega0' ? `Δz = ${fmt(s.dz)} λ11` : `ω0 = ${fmt(s.omega0)} ω11`}); current point: ${markers.map((m) => m.label).join(', ') || 'no bound state'}`,
  };
}

export function densityFigure(s: AppState, point: SpectrumPointReply | null): Figure {
  const u = axisUnits(physicalScales(s));
  const x = scaled(point?.omega ?? new Float64Array(0), u.e);
  const vlines: VLine[] = [{ x: u.e, color: COLORS.bare, label: u.e === 1 ? 'band edge ω11' : 'band edge ħω11', dash: [2, 3] }];
  vlines.push({ x: s.omega0 * u.e, color: COLORS.current, label: 'ω0', dash: [3, 3] });
  return {
    id: 'densities',
    title: 'Spectral densities J±(ω) = J0 ± J1',
    xLabel: u.e === 1 ? 'frequency ω (ω11)' : 'photon energy ħω (eV)',
    yLabel: 'J±(ω) (ω11)',
    xColumn: u.e === 1 ? 'omega (omega11)' : 'hbar omega (eV)',
    x,
    series: [
      { label: 'J+ = J0 + J1', column: 'J+ (omega11)', values: point?.jPlus ?? new Float64Array(0), color: COLORS.plus, width: 2 },
      { label: 'J− = J0 − J1', column: 'J- (omega11)', values: point?.jMinus ?? new Float64Array(0), color: COLORS.minus, dash: [8, 3, 2, 3], width: 2 },
    ],
    bands: [],
    vlines,
    markers: [],
    xRange: [0.9 * u.e, densityOmegaMax(s) * u.e],
    yRange: [0, (2 * s.gamma11) / (2 * Math.PI) / 0.25],
    summary: `Spectral densities J+(ω) and J−(ω) of Eq. (2) for Γ11 = ${fmt(s.gamma11)} ω11, Δz = ${fmt(s.dz)} λ11 (zero below the band edge ω = ω11${u.e === 1 ? '' : ` = ${fmt(u.e, 5)} eV`})`,
  };
}

/** Upper end of the density plot: the band up to a little beyond ω0. */
export function densityOmegaMax(s: AppState): number {
  return Math.max(3, Math.min(12, s.omega0 + 1.5));
}
