/**
 * The scene editor's figures as plain data (figures.ts's Figure, drawn by plots.ts, exported by
 * svg.ts/csv.ts): every |c_j|²(t), the bank's E(t), W(t) and Σ local W(t) (shared/scenes.md §3), and
 * J_jj(ω) of the reservoir with its band edges and the bound states marked.
 */
import { squaredModulus } from '../../../src/dynamics/accessors.js';
import { dataTop } from '../ticks.js';
import type { Figure, VLine } from '../figures.js';
import type { SceneDynamicsReply, SceneSpectrumReply } from '../protocol.js';
import { EMITTER_COLUMNS, emitterLabel, type SceneState } from './sceneState.js';

/**
 * Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), one per emitter
 * in turn; roles are told apart by shape on the strip and by dash in the plots, not by colour alone.
 */
export const EMITTER_COLORS = ['#E69F00', '#0072B2', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#000000', '#F0E442'];
export const emitterColor = (j: number) => EMITTER_COLORS[j % EMITTER_COLORS.length];

/** Role styles: chargers are squares with solid curves, batteries circles with dashed curves. */
export const ROLE_STYLE = {
  charger: { dash: undefined as number[] | undefined, shape: 'square' as const, word: 'charger' },
  battery: { dash: [7, 3] as number[] | undefined, shape: 'circle' as const, word: 'battery' },
};

/** Units of a scene's plots: ω11 for the guides, the reservoir's own frequency unit otherwise. */
export function sceneUnits(s: SceneState): { f: string; t: string; fa: string; ta: string } {
  const guide = s.reservoir.kind === 'tm11' || s.reservoir.kind === 'multimode';
  return guide ? { f: 'ω11', t: '1/ω11', fa: 'omega11', ta: '1/omega11' } : { f: 'freq. unit', t: '1/freq. unit', fa: 'freq unit', ta: '1/freq unit' };
}

const fmt = (v: number, d = 4) => (Number.isFinite(v) ? Number(v.toPrecision(d)).toString() : '—');

const RESERVOIR_WORDS = { tm11: 'the TM11 guide', multimode: 'a multimode guide', cavity: 'a cavity array', table: 'a tabulated band' } as const;

export function sceneLine(s: SceneState): string {
  const cols = EMITTER_COLUMNS[s.reservoir.kind];
  return `${s.emitters.length} emitters in ${RESERVOIR_WORDS[s.reservoir.kind]}: ${s.emitters.map((e, j) => `${emitterLabel(e, j)} ${cols.map((c) => `${c.label}=${fmt(e[c.key], 6)}`).join(' ')}`).join('; ')}`;
}

/** A y-axis top that shows the bulk of a density whose band edges diverge: twice the 90th percentile. */
function densityTop(series: ArrayLike<number>[]): number {
  const v: number[] = [];
  for (const a of series) for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]) && a[i] > 0) v.push(a[i]);
  if (!v.length) return 1;
  v.sort((a, b) => a - b);
  return 2 * v[Math.floor(0.9 * (v.length - 1))];
}

export function scenePopulationsFigure(s: SceneState, dyn: SceneDynamicsReply | null): Figure {
  const u = sceneUnits(s);
  const t = dyn?.t ?? new Float64Array(0);
  const n = dyn ? Math.min(dyn.c.length, s.emitters.length) : s.emitters.length;
  return {
    id: 'scene-populations',
    title: 'Emitter populations |c_j(t)|²',
    xLabel: `time t (${u.t})`,
    yLabel: 'population (dimensionless)',
    xColumn: `t (${u.ta})`,
    x: t,
    series: Array.from({ length: n }, (_, j) => {
      const e = s.emitters[j];
      const label = emitterLabel(e, j);
      return {
        label: `|c${j + 1}|² ${label} (${ROLE_STYLE[e.role].word})`,
        column: `|c${j + 1}|^2 ${label}`,
        values: dyn ? squaredModulus(dyn.c[j]) : new Float64Array(0),
        color: emitterColor(j),
        dash: ROLE_STYLE[e.role].dash,
        width: 2,
      };
    }),
    bands: [],
    vlines: [],
    markers: [],
    xRange: [0, s.tMax],
    yRange: [0, 1],
    summary: `Populations |c_j(t)|² of ${n} emitters (${dyn?.method ?? s.method}); ${sceneLine(s)}`,
  };
}

export const BANK_COLORS = { energy: '#0072B2', ergotropy: '#D55E00', local: '#009E73' };

export function sceneBankFigure(s: SceneState, dyn: SceneDynamicsReply | null): Figure {
  const u = sceneUnits(s);
  const t = dyn?.t ?? new Float64Array(0);
  const empty = new Float64Array(0);
  const nb = s.emitters.filter((e) => e.role === 'battery').length;
  return {
    id: 'scene-bank',
    title: 'Battery bank: energy and ergotropy',
    xLabel: `time t (${u.t})`,
    yLabel: `energy (${u.f})`,
    xColumn: `t (${u.ta})`,
    x: t,
    series: [
      { label: 'E bank = Σ ω_b|c_b|²', column: `E_bank (${u.fa})`, values: dyn?.energy ?? empty, color: BANK_COLORS.energy, width: 2 },
      { label: 'W bank (collective)', column: `W_bank (${u.fa})`, values: dyn?.ergotropy ?? empty, color: BANK_COLORS.ergotropy, dash: [7, 3], width: 2 },
      { label: 'Σ local W_b', column: `sum local W (${u.fa})`, values: dyn?.localErgotropy ?? empty, color: BANK_COLORS.local, dash: [2, 3], width: 2 },
    ],
    bands: [],
    vlines: [],
    markers: [],
    xRange: [0, s.tMax],
    yRange: [0, dataTop([dyn?.energy ?? empty, dyn?.ergotropy ?? empty], 1e-3)],
    summary: `Energy E(t) of the bank of ${nb} ${nb === 1 ? 'battery' : 'batteries'}, its collective ergotropy W(t) and the sum of local ergotropies (scenes.md §3); ${dyn ? `computed by ${dyn.bankSource}` : 'not computed'}`,
  };
}

export function sceneDensityFigure(s: SceneState, spec: SceneSpectrumReply | null): Figure {
  const u = sceneUnits(s);
  const x = spec?.omega ?? new Float64Array(0);
  const vlines: VLine[] = [];
  for (const e of spec?.edges ?? []) vlines.push({ x: e, color: '#6b7280', label: `band edge ω = ${fmt(e, 6)} ${sceneUnits(s).f}`, dash: [2, 3] });
  for (const b of spec?.boundStates ?? []) vlines.push({ x: b.energy, color: '#111827', label: `bound state E = ${fmt(b.energy, 6)} ${sceneUnits(s).f}` });
  const seen = new Set<number>();
  s.emitters.forEach((e, j) => {
    if (seen.has(e.omega0)) return;
    seen.add(e.omega0);
    vlines.push({ x: e.omega0, color: emitterColor(j), label: `ω0 of ${emitterLabel(e, j)}`, dash: [6, 3] });
  });
  const n = spec ? Math.min(spec.density.length, s.emitters.length) : 0;
  const xs = [...vlines.map((v) => v.x), x.length ? x[0] : 0, x.length ? x[x.length - 1] : 3];
  const lo = Math.min(...xs), hi = Math.max(...xs);
  const top = densityTop(spec?.density ?? []);
  return {
    id: 'scene-density',
    title: 'Spectral density J_jj(ω) of each emitter',
    xLabel: `frequency ω (${u.f})`,
    yLabel: `J_jj(ω) (${u.f})`,
    xColumn: `omega (${u.fa})`,
    x,
    series: Array.from({ length: n }, (_, j) => ({
      label: `J${j + 1}${j + 1} ${emitterLabel(s.emitters[j], j)}`,
      column: `J_${j + 1}${j + 1} (${u.fa})`,
      values: spec!.density[j],
      color: emitterColor(j),
      dash: ROLE_STYLE[s.emitters[j].role].dash,
      width: 1.5,
    })),
    bands: [],
    vlines,
    markers: [],
    xRange: [Math.floor((lo - 0.1) * 10) / 10, hi],
    yRange: [0, Number.isFinite(top) && top > 0 ? top : 1],
    summary: `J_jj(ω) of each emitter (${RESERVOIR_WORDS[s.reservoir.kind]}); band edges at ${(spec?.edges ?? []).map((e) => fmt(e, 6)).join(', ') || '—'} ω11; bound states at ${(spec?.boundStates ?? []).map((b) => fmt(b.energy, 6)).join(', ') || 'none listed'} ω11`,
  };
}
