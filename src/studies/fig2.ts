import type { Method } from '../dynamics/types.js';
import type { Job, JobResult, PointJobResult, EnergySeriesResult } from './jobs.js';
import { namedValues, POINT_DEFAULTS, type QuantitySpec } from './quantities.js';
import { steadyEnergyFromColumns } from './eq8.js';
import { axisValues, col, collectWarnings, rangeText, type AxisRange, type FigurePlan, type Marker, type Table } from './figureData.js';
import { effectiveZeroOmega0, secondStateOmega0 } from './thresholds.js';

/**
 * Fig. 2 of the paper: (a) the bound-state energies E± (Eq. 7) against ω0 with the continuum E ≥ ω11,
 * (b) the battery energy E(t) (Eq. 3–4) in the zero/one/two-bound-state regimes with the long-time
 * values of Eq. (8) as dots and the Markovian approximation of Eq. (6) beside each curve (the paper's
 * argument: Eq. 6 damps to zero where the exact E(t) does not). Paper parameters: Γ11 = 0.5ω11, Δz = 0.1λ11.
 */
export interface Fig2Options {
  /** Γ11 in ω11 (default 0.5, the paper's). */
  gamma11?: number;
  /** Δz in λ11 (default 0.1, the paper's). */
  dz?: number;
  /** ω0 axis of panel (a), ω11 (default 0.5:3.5:301). */
  omega0?: AxisRange;
  /** ω0 of the E(t) curves (default [0.5, 1.5, 3.0]: two, one and — effectively — zero bound states). */
  dynamicsOmega0?: number[];
  /** E(t) on t = 0, dt, …, tMax in 1/ω11 (defaults 100 and 0.2). */
  tMax?: number;
  dt?: number;
  /** Absolute tolerance on c1, c2 of the dynamics (default 1e-5: E(t) to ~1e-5 ω11, far below the line width). */
  tol?: number;
  /** Dynamics method (default 'exact', the resolvent). */
  method?: Method;
  /** Eq. (8) dots at t = eq8From, eq8From + eq8Step, … ≤ tMax (defaults 50 and 2.5). */
  eq8From?: number;
  eq8Step?: number;
  /** Effective classification (defaults 0.014 and 2000, as steadyState). */
  residueThreshold?: number;
  observationTime?: number;
  /** Also compute the Markovian E(t) of Eq. (6) for each curve (default true). */
  markov?: boolean;
}

export const FIG2_DEFAULTS: Required<Fig2Options> = {
  gamma11: 0.5,
  dz: 0.1,
  omega0: { start: 0.5, stop: 3.5, count: 301 },
  dynamicsOmega0: [0.5, 1.5, 3.0],
  tMax: 100,
  dt: 0.2,
  tol: 1e-5,
  method: 'exact',
  eq8From: 50,
  eq8Step: 2.5,
  residueThreshold: POINT_DEFAULTS.residueThreshold,
  observationTime: POINT_DEFAULTS.observationTime,
  markov: true,
};

const SPECTRUM_Q: QuantitySpec[] = [{ name: 'boundStates' }, { name: 'effectiveCount' }];

/** Regime label from the effective classification: "0", "1", "2" or "2D". */
export function regimeLabel(effectiveCount: number, degenerate: number): string {
  return effectiveCount === 2 && degenerate === 1 ? '2D' : String(effectiveCount);
}

export function fig2Plan(options: Fig2Options = {}): FigurePlan {
  const o = { ...FIG2_DEFAULTS, ...options };
  const pointOptions = { residueThreshold: o.residueThreshold, observationTime: o.observationTime };
  const w0s = axisValues('omega0', o.omega0);
  const jobs: Job[] = [];
  for (const omega0 of w0s) jobs.push({ kind: 'point', params: { omega0, dz: o.dz, gamma11: o.gamma11 }, quantities: SPECTRUM_Q, options: pointOptions });
  for (const omega0 of o.dynamicsOmega0) jobs.push({ kind: 'point', params: { omega0, dz: o.dz, gamma11: o.gamma11 }, quantities: SPECTRUM_Q, options: pointOptions });
  for (const omega0 of o.dynamicsOmega0) {
    jobs.push({ kind: 'energySeries', params: { omega0, dz: o.dz, gamma11: o.gamma11 }, tMax: o.tMax, dt: o.dt, tFrom: 0, tol: o.tol, method: o.method });
  }
  // Eq. (6) is singular at the band edge (ω0 = ω11 exactly): no Markov curve there.
  const markovOmega0 = o.markov ? o.dynamicsOmega0.filter((w) => w !== 1) : [];
  for (const omega0 of markovOmega0) {
    jobs.push({ kind: 'energySeries', params: { omega0, dz: o.dz, gamma11: o.gamma11 }, tMax: o.tMax, dt: o.dt, tFrom: 0, tol: o.tol, method: 'markov' });
  }
  return {
    id: 'fig2',
    jobs,
    assemble(results: readonly JobResult[]) {
      const n = w0s.length;
      const m = o.dynamicsOmega0.length;
      const pv = (k: number) => namedValues(SPECTRUM_Q, (results[k] as PointJobResult).values);
      const spectrum: Table = {
        name: 'fig2a_spectrum',
        title: 'Bound-state energies vs omega0 (Fig. 2, spectrum)',
        columns: [
          col('omega0', 'omega11', 'transition frequency'),
          col('Eplus', 'omega11', 'symmetric bound-state energy E+ (Eq. 7)'),
          col('Zplus', '1', 'its residue Z+ (Eq. 8)'),
          col('Eminus', 'omega11', 'antisymmetric bound-state energy E- (NaN: none)'),
          col('Zminus', '1', 'its residue Z-'),
          col('count', '1', 'exact number of bound states'),
          col('effectiveCount', '1', `bound states with residue >= ${o.residueThreshold}`),
          col('regime', '-', 'effective regime: 0, 1, 2 or 2D'),
        ],
        rows: w0s.map((omega0, k) => {
          const v = pv(k);
          return [omega0, v.Eplus!, v.Zplus!, v.Eminus!, v.Zminus!, v.count!, v.effectiveCount!, regimeLabel(v.effectiveCount!, v.degenerate!)];
        }),
      };
      const energyRows: Table['rows'] = [];
      const eq8Rows: Table['rows'] = [];
      for (let j = 0; j < m; j++) {
        const omega0 = o.dynamicsOmega0[j]!;
        const v = pv(n + j);
        const regime = regimeLabel(v.effectiveCount!, v.degenerate!);
        const series = results[n + m + j] as EnergySeriesResult;
        series.t.forEach((t, i) => energyRows.push([omega0, regime, t, series.energy[i]!]));
        for (let t = o.eq8From; t <= o.tMax + 1e-9; t += o.eq8Step) {
          eq8Rows.push([omega0, regime, t, steadyEnergyFromColumns(omega0, v.Eplus!, v.Zplus!, v.Eminus!, v.Zminus!, t)]);
        }
      }
      const markovRows: Table['rows'] = [];
      markovOmega0.forEach((omega0, j) => {
        const regime = regimeLabel(pv(n + o.dynamicsOmega0.indexOf(omega0)).effectiveCount!, pv(n + o.dynamicsOmega0.indexOf(omega0)).degenerate!);
        const series = results[n + 2 * m + j] as EnergySeriesResult;
        series.t.forEach((t, i) => markovRows.push([omega0, regime, t, series.energy[i]!]));
      });
      const energy: Table = {
        name: 'fig2b_energy',
        title: 'Battery energy E(t) in the three regimes (Fig. 2, dynamics)',
        columns: [col('omega0', 'omega11', 'transition frequency'), col('regime', '-', 'effective regime'), col('t', '1/omega11', 'time'), col('energy', 'omega11', `E(t) = omega0 |c2(t)|^2 from solve(${o.method})`)],
        rows: energyRows,
      };
      const eq8: Table = {
        name: 'fig2b_eq8',
        title: 'Long-time energy from Eq. (8) (Fig. 2, dots)',
        columns: [col('omega0', 'omega11', 'transition frequency'), col('regime', '-', 'effective regime'), col('t', '1/omega11', 'time'), col('energyEq8', 'omega11', 'omega0 |c2(inf, t)|^2 from the bound states, Eq. (8)')],
        rows: eq8Rows,
      };
      const markov: Table = {
        name: 'fig2b_markov',
        title: 'Markovian approximation of the battery energy, Eq. (6) (Fig. 2, dashed)',
        columns: [col('omega0', 'omega11', 'transition frequency'), col('regime', '-', 'effective regime (exact)'), col('t', '1/omega11', 'time'), col('energyMarkov', 'omega11', 'omega0 |c2(t)|^2 from Eq. (6): rates pi J(omega0), shifts by principal value')],
        rows: markovRows,
      };
      const markers: Marker[] = [];
      const w2 = secondStateOmega0(o.dz, o.gamma11);
      const w0eff = effectiveZeroOmega0(o.dz, o.gamma11, o.residueThreshold);
      if (w2 !== null) markers.push({ panel: 'a', axis: 'x', value: w2, label: `E− disappears: ω0 = ${w2.toFixed(4)}` });
      if (w0eff !== null) markers.push({ panel: 'a', axis: 'x', value: w0eff, label: `Z+ < ${o.residueThreshold}: ω0 = ${w0eff.toFixed(3)}` });
      return {
        id: 'fig2',
        title: 'Fig. 2: energy spectrum and battery energy',
        caption:
          `(a) Bound-state energies E+ and E- (Eq. 7) against omega0; the continuum E >= omega11 is shaded. ` +
          `(b) E(t) for omega0 = ${o.dynamicsOmega0.join(', ')} (regimes ${o.dynamicsOmega0.map((_, j) => regimeLabel(pv(n + j).effectiveCount!, pv(n + j).degenerate!)).join(', ')}), ` +
          `dots: Eq. (8)${markovOmega0.length ? '; dashed: the Markovian approximation, Eq. (6)' : ''}. Gamma11 = ${o.gamma11} omega11, dz = ${o.dz} lambda11.`,
        parameters: {
          gamma11: o.gamma11, dz: o.dz, omega0: rangeText(o.omega0), dynamicsOmega0: o.dynamicsOmega0.join(';'),
          tMax: o.tMax, dt: o.dt, tol: o.tol, method: o.method, residueThreshold: o.residueThreshold, observationTime: o.observationTime, markov: o.markov ? 'yes' : 'no',
        },
        method: `bound states: steadyState (Eq. 7-8, Brent roots, ~1e-15); E(t): solve(${o.method}) with absolute tolerance ${o.tol} on c1, c2${markovOmega0.length ? '; Markov: solve(markov), the closed form Eq. (6)' : ''}`,
        tables: markovOmega0.length ? [spectrum, energy, eq8, markov] : [spectrum, energy, eq8],
        markers,
        warnings: collectWarnings(jobs, results),
      };
    },
  };
}
