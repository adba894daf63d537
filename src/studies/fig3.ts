import type { Method } from '../dynamics/types.js';
import type { Job, JobResult, PointJobResult, EnergySeriesResult } from './jobs.js';
import { namedValues, POINT_DEFAULTS, type QuantitySpec } from './quantities.js';
import { steadyEnergyFromColumns } from './eq8.js';
import { axisValues, col, collectWarnings, rangeText, type AxisRange, type FigurePlan, type Marker, type Table } from './figureData.js';
import { regimeLabel } from './fig2.js';
import { degenerateDz, secondStateDz } from './thresholds.js';

/**
 * Fig. 3 of the paper: dependence on the charger–battery distance Δz.
 * (a) Bound-state energies E± against Δz at ω0 = 1.4ω11, and the long-time E(t) (Eq. 3–4) as a map
 *     over (Δz, t) in a late time window, next to Eq. (8);
 * (b) the extremes of E(∞) (Eq. 8: ω0(Z+ ∓ Z−)²) against Δz for ω0 = 1.4, 1.2, 1.0ω11.
 * Paper parameters: Γ11 = 0.5ω11.
 */
export interface Fig3Options {
  /** Γ11 in ω11 (default 0.5). */
  gamma11?: number;
  /** ω0 of panel (a), ω11 (default 1.4). */
  omega0?: number;
  /** ω0 values of panel (b), ω11 (default [1.4, 1.2, 1.0]). */
  omega0Compare?: number[];
  /**
   * Δz axis of the bound-state curves and of panel (b), λ11 (default 0.01:2.5:250). Δz = 0 is left
   * out: there the antisymmetric state decouples exactly and never decays (a different limit).
   */
  dz?: AxisRange;
  /** Δz rows of the long-time map, λ11 (default 0.125:2.5:20). */
  mapDz?: AxisRange;
  /** Time window of the map, 1/ω11: samples tFrom, tFrom + dt, … ≤ tMax (defaults 300, 500, 2). */
  tFrom?: number;
  tMax?: number;
  dt?: number;
  /** Absolute tolerance on c1, c2 for the map (default 1e-4: E to ~1e-4 ω11, below the colour resolution). */
  tol?: number;
  /** Dynamics method (default 'exact'). */
  method?: Method;
  residueThreshold?: number;
  observationTime?: number;
}

export const FIG3_DEFAULTS: Required<Fig3Options> = {
  gamma11: 0.5,
  omega0: 1.4,
  omega0Compare: [1.4, 1.2, 1.0],
  dz: { start: 0.01, stop: 2.5, count: 250 },
  mapDz: { start: 0.125, stop: 2.5, count: 20 },
  tFrom: 300,
  tMax: 500,
  dt: 2,
  tol: 1e-4,
  method: 'exact',
  residueThreshold: POINT_DEFAULTS.residueThreshold,
  observationTime: POINT_DEFAULTS.observationTime,
};

const A_Q: QuantitySpec[] = [{ name: 'boundStates' }, { name: 'effectiveCount' }, { name: 'resonance' }];
const B_Q: QuantitySpec[] = [{ name: 'energyMinMax' }, { name: 'effectiveCount' }];
const MAP_Q: QuantitySpec[] = [{ name: 'boundStates' }];

export function fig3Plan(options: Fig3Options = {}): FigurePlan {
  const o = { ...FIG3_DEFAULTS, ...options };
  const po = { residueThreshold: o.residueThreshold, observationTime: o.observationTime };
  const dzs = axisValues('dz', o.dz);
  const mapDzs = axisValues('mapDz', o.mapDz);
  const jobs: Job[] = [];
  for (const dz of dzs) jobs.push({ kind: 'point', params: { omega0: o.omega0, dz, gamma11: o.gamma11 }, quantities: A_Q, options: po });
  for (const omega0 of o.omega0Compare) for (const dz of dzs) jobs.push({ kind: 'point', params: { omega0, dz, gamma11: o.gamma11 }, quantities: B_Q, options: po });
  for (const dz of mapDzs) jobs.push({ kind: 'point', params: { omega0: o.omega0, dz, gamma11: o.gamma11 }, quantities: MAP_Q, options: po });
  for (const dz of mapDzs) jobs.push({ kind: 'energySeries', params: { omega0: o.omega0, dz, gamma11: o.gamma11 }, tMax: o.tMax, dt: o.dt, tFrom: o.tFrom, tol: o.tol, method: o.method });
  return {
    id: 'fig3',
    jobs,
    assemble(results: readonly JobResult[]) {
      const nA = dzs.length;
      const nB = o.omega0Compare.length * dzs.length;
      const nM = mapDzs.length;
      const val = (k: number, q: QuantitySpec[]) => namedValues(q, (results[k] as PointJobResult).values);
      const bound: Table = {
        name: 'fig3a_boundstates',
        title: `Bound-state energies vs dz at omega0 = ${o.omega0} (Fig. 3a)`,
        columns: [
          col('dz', 'lambda11', 'charger-battery distance'),
          col('Eplus', 'omega11', 'symmetric bound-state energy E+'),
          col('Zplus', '1', 'residue Z+'),
          col('Eminus', 'omega11', 'antisymmetric bound-state energy E- (NaN: none)'),
          col('Zminus', '1', 'residue Z-'),
          col('gap', 'omega11', '|E- - E+|, the angular frequency of the energy exchange (NaN: one state)'),
          col('count', '1', 'exact number of bound states'),
          col('effectiveCount', '1', `bound states with residue >= ${o.residueThreshold}`),
          col('regime', '-', `0, 1, 2 or 2D (2D: beat period 2pi/gap > ${o.observationTime}/omega11)`),
          col('resonanceEnergy', 'omega11', 'narrowest continuum resonance (NaN: none)'),
          col('resonanceWidth', 'omega11', 'its decay rate: long transients where small (bound state in the continuum)'),
        ],
        rows: dzs.map((dz, k) => {
          const v = val(k, A_Q);
          return [dz, v.Eplus!, v.Zplus!, v.Eminus!, v.Zminus!, Math.abs(v.Eminus! - v.Eplus!), v.count!, v.effectiveCount!, regimeLabel(v.effectiveCount!, v.degenerate!), v.resonanceEnergy!, v.resonanceWidth!];
        }),
      };
      const mapRows: Table['rows'] = [];
      mapDzs.forEach((dz, j) => {
        const v = val(nA + nB + j, MAP_Q);
        const s = results[nA + nB + nM + j] as EnergySeriesResult;
        s.t.forEach((t, i) => mapRows.push([dz, t, s.energy[i]!, steadyEnergyFromColumns(o.omega0, v.Eplus!, v.Zplus!, v.Eminus!, v.Zminus!, t)]));
      });
      const longtime: Table = {
        name: 'fig3a_longtime',
        title: `Long-time E(t) vs dz at omega0 = ${o.omega0} (Fig. 3a map)`,
        columns: [
          col('dz', 'lambda11', 'charger-battery distance'),
          col('t', '1/omega11', 'time'),
          col('energy', 'omega11', `E(t) from solve(${o.method}), tol ${o.tol}`),
          col('energyEq8', 'omega11', 'long-time prediction of Eq. (8); differs from energy while the continuum has not decayed'),
        ],
        rows: mapRows,
      };
      const extremes: Table = {
        name: 'fig3b_extremes',
        title: 'Extremal values of E(inf) vs dz (Fig. 3b)',
        columns: [
          col('omega0', 'omega11', 'transition frequency'),
          col('dz', 'lambda11', 'charger-battery distance'),
          col('energyMin', 'omega11', 'min over t of E(inf), Eq. (8): omega0 (Z+ - Z-)^2 with two states'),
          col('energyMax', 'omega11', 'max over t of E(inf), Eq. (8): omega0 (Z+ + Z-)^2'),
          col('regime', '-', 'effective regime'),
        ],
        rows: o.omega0Compare.flatMap((omega0, i) =>
          dzs.map((dz, k) => {
            const v = val(nA + i * dzs.length + k, B_Q);
            return [omega0, dz, v.energyMin!, v.energyMax!, regimeLabel(v.effectiveCount!, v.degenerate!)];
          }),
        ),
      };
      const markers: Marker[] = [];
      const dz2 = secondStateDz(o.omega0, o.gamma11);
      if (dz2 !== null) {
        markers.push({ panel: 'a', axis: 'x', value: dz2, label: `E− appears: Δz = ${dz2.toFixed(4)}` });
        const dzD = degenerateDz(o.omega0, o.gamma11, o.observationTime, dz2 + 0.01);
        if (dzD !== null) markers.push({ panel: 'a', axis: 'x', value: dzD, label: `2D beyond Δz = ${dzD.toFixed(3)}` });
      }
      return {
        id: 'fig3',
        title: 'Fig. 3: dependence on the charger-battery distance',
        caption:
          `(a) E+ and E- against dz at omega0 = ${o.omega0} omega11, and E(t) for t in [${o.tFrom}, ${o.tMax}]/omega11 as a map over (dz, t). ` +
          `(b) Extremes of E(inf) (Eq. 8) against dz for omega0 = ${o.omega0Compare.join(', ')} omega11. Gamma11 = ${o.gamma11} omega11.`,
        parameters: {
          gamma11: o.gamma11, omega0: o.omega0, omega0Compare: o.omega0Compare.join(';'), dz: rangeText(o.dz), mapDz: rangeText(o.mapDz),
          tFrom: o.tFrom, tMax: o.tMax, dt: o.dt, tol: o.tol, method: o.method, residueThreshold: o.residueThreshold, observationTime: o.observationTime,
        },
        method: `bound states and E(inf): steadyState (Eq. 7-8); map: solve(${o.method}) with absolute tolerance ${o.tol} on c1, c2`,
        tables: [bound, longtime, extremes],
        markers,
        warnings: collectWarnings(jobs, results),
      };
    },
  };
}
