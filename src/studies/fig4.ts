import type { Job, JobResult, PointJobResult } from './jobs.js';
import { namedValues, POINT_DEFAULTS, type QuantitySpec } from './quantities.js';
import { axisValues, col, collectWarnings, rangeText, type AxisRange, type FigurePlan, type Table } from './figureData.js';
import { regimeLabel } from './fig2.js';

/**
 * Fig. 4 of the paper, over the (ω0, Δz) plane at Γ11 = 0.5ω11:
 * (a) the number M of bound states (exact and effective; "2D" where two are degenerate),
 * (b) the maximum over the steady-state oscillation of the ergotropy W(∞) (Eq. 5 with Eq. 8),
 * (c) max over ω0 of (b) against Δz (the maximum over the ω0 grid, and where it is reached).
 */
export interface Fig4Options {
  /** Γ11 in ω11 (default 0.5). */
  gamma11?: number;
  /** ω0 axis, ω11 (default 0.2:3.5:111, step 0.03). */
  omega0?: AxisRange;
  /**
   * Δz axis, λ11 (default 0.04:3:75, step 0.04). Δz = 0 is left out: there the antisymmetric state
   * decouples exactly (a bound state in the continuum for ω0 ≥ 1), a limit of its own.
   */
  dz?: AxisRange;
  residueThreshold?: number;
  observationTime?: number;
}

export const FIG4_DEFAULTS: Required<Fig4Options> = {
  gamma11: 0.5,
  omega0: { start: 0.2, stop: 3.5, count: 111 },
  dz: { start: 0.04, stop: 3, count: 75 },
  residueThreshold: POINT_DEFAULTS.residueThreshold,
  observationTime: POINT_DEFAULTS.observationTime,
};

export const FIG4_QUANTITIES: QuantitySpec[] = [{ name: 'boundStates' }, { name: 'effectiveCount' }, { name: 'ergotropyMax' }, { name: 'energyMinMax' }];

export function fig4Plan(options: Fig4Options = {}): FigurePlan {
  const o = { ...FIG4_DEFAULTS, ...options };
  const po = { residueThreshold: o.residueThreshold, observationTime: o.observationTime };
  const w0s = axisValues('omega0', o.omega0);
  const dzs = axisValues('dz', o.dz);
  const jobs: Job[] = [];
  for (const omega0 of w0s) for (const dz of dzs) jobs.push({ kind: 'point', params: { omega0, dz, gamma11: o.gamma11 }, quantities: FIG4_QUANTITIES, options: po });
  return {
    id: 'fig4',
    jobs,
    assemble(results: readonly JobResult[]) {
      const rows: Table['rows'] = [];
      const best = dzs.map(() => ({ w: Number.NaN, omega0: Number.NaN }));
      w0s.forEach((omega0, i) => {
        dzs.forEach((dz, k) => {
          const v = namedValues(FIG4_QUANTITIES, (results[i * dzs.length + k] as PointJobResult).values);
          rows.push([omega0, dz, v.count!, v.effectiveCount!, v.degenerate!, regimeLabel(v.effectiveCount!, v.degenerate!), v.ergotropyMax!, v.energyMax!]);
          if (!(v.ergotropyMax! <= best[k]!.w)) best[k] = { w: v.ergotropyMax!, omega0 };
        });
      });
      const map: Table = {
        name: 'fig4ab_map',
        title: 'Bound-state count and maximal steady-state ergotropy over (omega0, dz) (Fig. 4a, 4b)',
        columns: [
          col('omega0', 'omega11', 'transition frequency'),
          col('dz', 'lambda11', 'charger-battery distance'),
          col('count', '1', 'exact number M of bound states'),
          col('effectiveCount', '1', `bound states with residue >= ${o.residueThreshold}`),
          col('degenerate', '1', `1 if two effective states beat slower than ${o.observationTime}/omega11`),
          col('regime', '-', 'effective regime 0, 1, 2 or 2D (Fig. 4a)'),
          col('ergotropyMax', 'omega11', 'max over t of W(inf) = omega0 max(0, 2|c2(inf)|^2 - 1) (Fig. 4b)'),
          col('energyMax', 'omega11', 'max over t of E(inf) = omega0 (Z+ + Z-)^2'),
        ],
        rows,
      };
      const maxTable: Table = {
        name: 'fig4c_max',
        title: 'Maximum over omega0 of the steady-state ergotropy vs dz (Fig. 4c)',
        columns: [
          col('dz', 'lambda11', 'charger-battery distance'),
          col('ergotropyMaxOverOmega0', 'omega11', `max over the omega0 grid ${rangeText(o.omega0)} of ergotropyMax`),
          col('argmaxOmega0', 'omega11', 'the grid omega0 where it is reached'),
        ],
        rows: dzs.map((dz, k) => [dz, best[k]!.w, best[k]!.omega0]),
      };
      return {
        id: 'fig4',
        title: 'Fig. 4: bound states and ergotropy over (ω0, Δz)',
        caption:
          `(a) Number of bound states (effective: residue >= ${o.residueThreshold}; 2D: two states beating slower than ${o.observationTime}/omega11). ` +
          `(b) max over t of the steady-state ergotropy W(inf). (c) its maximum over omega0 against dz. Gamma11 = ${o.gamma11} omega11.`,
        parameters: { gamma11: o.gamma11, omega0: rangeText(o.omega0), dz: rangeText(o.dz), residueThreshold: o.residueThreshold, observationTime: o.observationTime },
        method: 'steadyState (Eq. 7-8) at every grid point; W from Eq. (5) with the diagonal battery state',
        tables: [map, maxTable],
        markers: [],
        warnings: collectWarnings(jobs, results),
      };
    },
  };
}
