import * as vl from 'vega-lite';
import * as vega from 'vega';
import { Resvg } from '@resvg/resvg-js';
import type { FigureData, Table } from '../../src/studies/figureData.js';
import { effectiveCountTitle, REGIME_COLOURS, REGIME_LABELS } from '../../src/studies/regimeColours.js';
import { heatmapDataUri } from './heatmap.js';

/**
 * Figure rendering for `qbwave figures`: Vega-Lite specifications built from FigureData, compiled to
 * Vega and rendered to SVG headlessly (renderer 'none', no DOM), then rasterised to PNG by resvg.
 * Axis titles carry units (ω0, E in ω11; Δz in λ11; t in 1/ω11).
 */

type Spec = Record<string, unknown>;
type Datum = Record<string, number | string>;

const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
const CONFIG = {
  font: FONT,
  view: { stroke: '#888' },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: false, tickCount: 6 },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 0 },
  scale: { zero: false },
  title: { fontSize: 13, anchor: 'start' },
  concat: { spacing: 30 },
};

/** Rows of a table as objects keyed by column name, dropping rows where any of `required` is not finite. */
export function records(table: Table, required: string[] = []): Datum[] {
  const names = table.columns.map((c) => c.name);
  const out: Datum[] = [];
  for (const row of table.rows) {
    const d: Datum = {};
    names.forEach((n, k) => { d[n] = row[k]!; });
    if (required.every((r) => typeof d[r] === 'number' && Number.isFinite(d[r] as number))) out.push(d);
  }
  return out;
}

function table(fd: FigureData, name: string): Table {
  const t = fd.tables.find((x) => x.name === name);
  if (!t) throw new Error(`figure ${fd.id}: no table ${name}`);
  return t;
}

const num = (d: Datum, k: string) => d[k] as number;

function extent(values: number[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return [lo, hi];
}

function step(values: number[]): number {
  const u = [...new Set(values)].sort((a, b) => a - b);
  return u.length > 1 ? (u[u.length - 1]! - u[0]!) / (u.length - 1) : 1;
}

/** A grey band for the continuum E ≥ ω11 over the x range, as a layer. */
function continuumLayer(x0: number, x1: number, yTop: number): Spec {
  return {
    data: { values: [{ x0, x1, y0: 1, y1: yTop }] },
    mark: { type: 'rect', color: '#e3e3e3' },
    encoding: { x: { field: 'x0', type: 'quantitative' }, x2: { field: 'x1' }, y: { field: 'y0', type: 'quantitative' }, y2: { field: 'y1' } },
  };
}

function continuumLabel(x: number, y: number): Spec {
  return { data: { values: [{ x, y, text: 'continuum' }] }, mark: { type: 'text', align: 'right', fontSize: 11, color: '#555' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, text: { field: 'text' } } };
}

function markerLayers(fd: FigureData, panel: string, yLabel: number, xMax: number): Spec[] {
  const ms = fd.markers
    .filter((m) => m.panel === panel && m.axis === 'x')
    .map((m, k) => ({ value: m.value, label: m.label, y: yLabel - 0.09 * k, right: m.value > 0.6 * xMax ? 1 : 0 }));
  if (ms.length === 0) return [];
  const text = (right: number): Spec => ({
    data: { values: ms.filter((m) => m.right === right) },
    mark: { type: 'text', align: right ? 'right' : 'left', dx: right ? -3 : 3, fontSize: 10, color: '#333' },
    encoding: { x: { field: 'value', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
  });
  return [
    { data: { values: ms }, mark: { type: 'rule', strokeDash: [4, 3], color: '#333' }, encoding: { x: { field: 'value', type: 'quantitative' } } },
    text(0),
    text(1),
  ];
}

const INDEPENDENT = {
  scale: { color: 'independent', strokeDash: 'independent', shape: 'independent' },
  legend: { color: 'independent', strokeDash: 'independent', shape: 'independent' },
};

const REGIME_TEXT: Record<string, string> = { '0': 'no (effective) bound state', '1': 'one bound state', '2': 'two bound states', '2D': 'two degenerate bound states' };

/** What `heatmap` draws: cells on a regular (x, y) grid, coloured by `colour`, with a legend from `legend`. */
interface HeatmapOptions {
  x: string;
  y: string;
  xTitle: string;
  yTitle: string;
  /** The CSS colour of a cell. */
  colour: (d: Datum) => string;
  /** The colour encoding of the legend, fed by `legendValues` (a few invisible points). */
  legend: Spec;
  legendValues: Datum[];
}

/**
 * A heat map as two layers: the cells as one embedded image (heatmap.ts: no seams, small SVG) and an
 * invisible point layer that makes Vega-Lite draw the colour legend. Cells are centred on the grid
 * values; the axes span the outer cell edges.
 */
function heatmap(data: Datum[], o: HeatmapOptions): Spec[] {
  const xs = [...new Set(data.map((d) => num(d, o.x)))].sort((a, b) => a - b);
  const ys = [...new Set(data.map((d) => num(d, o.y)))].sort((a, b) => a - b);
  const hx = step(xs) / 2;
  const hy = step(ys) / 2;
  const domainX = [xs[0]! - hx, xs.at(-1)! + hx];
  const domainY = [ys[0]! - hy, ys.at(-1)! + hy];
  const cell = new Map<string, Datum>();
  for (const d of data) cell.set(`${num(d, o.x)},${num(d, o.y)}`, d);
  const url = heatmapDataUri(xs.length, ys.length, (c, r) => {
    const d = cell.get(`${xs[c]},${ys[r]}`);
    return d ? o.colour(d) : '#ffffff';
  });
  const x = { type: 'quantitative', title: o.xTitle, scale: { domain: domainX, nice: false } };
  const y = { type: 'quantitative', title: o.yTitle, scale: { domain: domainY, nice: false } };
  return [
    {
      data: { values: [{ x0: domainX[0], x1: domainX[1], y0: domainY[0], y1: domainY[1], url }] },
      mark: { type: 'image', aspect: false },
      encoding: { x: { field: 'x0', ...x }, x2: { field: 'x1' }, y: { field: 'y1', ...y }, y2: { field: 'y0' }, url: { field: 'url', type: 'nominal' } },
    },
    {
      data: { values: o.legendValues.map((v) => ({ ...v, px: xs[0]!, py: ys[0]! })) },
      mark: { type: 'point', filled: true, opacity: 0 },
      encoding: { x: { field: 'px', type: 'quantitative' }, y: { field: 'py', type: 'quantitative' }, color: o.legend },
    },
  ];
}

/** Vega's viridis interpolator, so image cells and the Vega-Lite legend share one colour scale. */
const viridis = vega.scheme('viridis') as (t: number) => string;

/** Colour of `v` on viridis over [lo, hi] (white for a missing value). */
function viridisOf(v: number, lo: number, hi: number): string {
  if (!Number.isFinite(v)) return '#ffffff';
  return viridis(hi > lo ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) : 0);
}

function fig2Spec(fd: FigureData): Spec {
  const sp = records(table(fd, 'fig2a_spectrum'));
  const branches: Datum[] = [];
  for (const d of sp) {
    if (Number.isFinite(num(d, 'Eplus'))) branches.push({ omega0: num(d, 'omega0'), E: num(d, 'Eplus'), branch: 'E+ (symmetric)' });
    if (Number.isFinite(num(d, 'Eminus'))) branches.push({ omega0: num(d, 'omega0'), E: num(d, 'Eminus'), branch: 'E− (antisymmetric)' });
  }
  const [x0, x1] = extent(sp.map((d) => num(d, 'omega0')));
  const yTop = 1.3;
  const label = (d: Datum) => `ω0 = ${d.omega0} ω11: ${REGIME_TEXT[String(d.regime)] ?? d.regime}`;
  const EXACT = 'exact (Eq. 3)';
  const MARKOV = 'Markovian (Eq. 6)';
  const energy = records(table(fd, 'fig2b_energy'), ['energy']).map((d) => ({ ...d, label: label(d), method: EXACT }));
  const markovTable = fd.tables.find((t) => t.name === 'fig2b_markov');
  const markov = markovTable ? records(markovTable, ['energyMarkov']).map((d) => ({ ...d, energy: d.energyMarkov, label: label(d), method: MARKOV })) : [];
  const eq8 = records(table(fd, 'fig2b_eq8'), ['energyEq8']);
  const labels = [...new Set(energy.map((d) => d.label as string))];
  const methods = markov.length ? [EXACT, MARKOV] : [EXACT];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: fd.title, subtitle: `Γ11 = ${fd.parameters.gamma11} ω11, Δz = ${fd.parameters.dz} λ11` },
    config: CONFIG,
    resolve: INDEPENDENT,
    hconcat: [
      {
        title: '(a) energy spectrum',
        width: 330,
        height: 280,
        layer: [
          continuumLayer(x0, x1, yTop),
          continuumLabel(x1 - 0.05, 1.2),
          {
            data: { values: branches },
            mark: { type: 'line', strokeDash: [6, 3], strokeWidth: 2 },
            encoding: {
              x: { field: 'omega0', type: 'quantitative', title: 'ω0 (ω11)', scale: { domain: [x0, x1], nice: false } },
              y: { field: 'E', type: 'quantitative', title: 'bound-state energy E (ω11)', scale: { domain: [0, yTop], nice: false } },
              color: { field: 'branch', type: 'nominal', title: null, scale: { range: ['#d62728', '#1f77b4'] }, legend: { orient: 'top-left', symbolType: 'stroke', symbolDash: [6, 3], symbolStrokeWidth: 2 } },
            },
          },
          ...markerLayers(fd, 'a', 0.35, x1),
        ],
      },
      {
        title: '(b) battery energy (black dots: long-time limit, Eq. 8)',
        width: 380,
        height: 280,
        layer: [
          {
            // Markov curves first, so the exact ones are drawn over them.
            data: { values: [...markov, ...energy] },
            mark: { type: 'line', strokeWidth: 1.6 },
            encoding: {
              x: { field: 't', type: 'quantitative', title: 't (1/ω11)' },
              y: { field: 'energy', type: 'quantitative', title: 'battery energy E(t) (ω11)' },
              color: { field: 'label', type: 'nominal', title: null, scale: { domain: labels, range: ['#2ca02c', '#1f77b4', '#d62728'] }, legend: { orient: 'right', symbolType: 'stroke', symbolStrokeWidth: 2 } },
              strokeDash: { field: 'method', type: 'nominal', title: null, scale: { domain: methods, range: [[1, 0], [5, 3]] }, legend: { orient: 'right', symbolType: 'stroke', symbolStrokeColor: '#333', symbolStrokeWidth: 2 } },
            },
          },
          {
            data: { values: eq8 },
            mark: { type: 'point', filled: true, size: 14, color: 'black', opacity: 1 },
            encoding: { x: { field: 't', type: 'quantitative' }, y: { field: 'energyEq8', type: 'quantitative' } },
          },
        ],
      },
    ],
  };
}

function fig3Spec(fd: FigureData): Spec {
  const bs = records(table(fd, 'fig3a_boundstates'));
  const branches: Datum[] = [];
  for (const d of bs) {
    if (Number.isFinite(num(d, 'Eplus'))) branches.push({ dz: num(d, 'dz'), E: num(d, 'Eplus'), branch: 'E+' });
    if (Number.isFinite(num(d, 'Eminus'))) branches.push({ dz: num(d, 'dz'), E: num(d, 'Eminus'), branch: 'E−' });
  }
  const [x0, x1] = extent(bs.map((d) => num(d, 'dz')));
  const eMin = Math.min(...branches.map((b) => b.E as number));
  const yLo = Math.floor(eMin * 10) / 10 - 0.05;
  const yTop = 1.05;
  const map = records(table(fd, 'fig3a_longtime'), ['energy']);
  const [eLo, eHi] = extent(map.map((d) => num(d, 'energy')));
  const ext = records(table(fd, 'fig3b_extremes'));
  const extLong: Datum[] = [];
  for (const d of ext) {
    extLong.push({ dz: num(d, 'dz'), value: num(d, 'energyMax'), series: `ω0 = ${d.omega0}: max E(∞)`, omega0: `ω0 = ${d.omega0} ω11`, extreme: 'max' });
    extLong.push({ dz: num(d, 'dz'), value: num(d, 'energyMin'), series: `ω0 = ${d.omega0}: min E(∞)`, omega0: `ω0 = ${d.omega0} ω11`, extreme: 'min' });
  }
  const shaded2D = bs.filter((d) => d.regime === '2D').map((d) => num(d, 'dz'));
  const degenerateBand = shaded2D.length ? [{ a: Math.min(...shaded2D), b: x1 }] : [];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: fd.title, subtitle: `Γ11 = ${fd.parameters.gamma11} ω11; (a) ω0 = ${fd.parameters.omega0} ω11` },
    config: CONFIG,
    resolve: INDEPENDENT,
    hconcat: [
      {
        vconcat: [
          {
            title: '(a) bound-state energies',
            width: 360,
            height: 170,
            layer: [
              continuumLayer(x0, x1, yTop),
              continuumLabel(x1 - 0.05, 1.02),
              {
                data: { values: branches },
                mark: { type: 'line', strokeDash: [6, 3], strokeWidth: 2 },
                encoding: {
                  x: { field: 'dz', type: 'quantitative', title: 'Δz (λ11)', scale: { domain: [x0, x1], nice: false } },
                  y: { field: 'E', type: 'quantitative', title: 'E (ω11)', scale: { domain: [yLo, yTop], nice: false } },
                  color: { field: 'branch', type: 'nominal', title: null, scale: { range: ['#d62728', '#9467bd'] }, legend: { orient: 'bottom-right', symbolType: 'stroke', symbolDash: [6, 3], symbolStrokeWidth: 2 } },
                },
              },
              ...markerLayers(fd, 'a', yLo + 0.1, x1),
            ],
          },
          {
            title: `long-time E(t), t in [${fd.parameters.tFrom}, ${fd.parameters.tMax}]/ω11 (${fd.parameters.method}, tol ${fd.parameters.tol})`,
            width: 360,
            height: 170,
            layer: heatmap(map, {
              x: 'dz', y: 't', xTitle: 'Δz (λ11)', yTitle: 't (1/ω11)',
              colour: (d) => viridisOf(num(d, 'energy'), eLo, eHi),
              legend: { field: 'e', type: 'quantitative', title: 'E(t) (ω11)', scale: { scheme: 'viridis', domain: [eLo, eHi] } },
              legendValues: [{ e: eLo }, { e: eHi }],
            }),
          },
        ],
        resolve: INDEPENDENT,
      },
      {
        title: '(b) extremes of E(∞), Eq. (8)',
        width: 330,
        height: 380,
        layer: [
          ...(degenerateBand.length
            ? [
                { data: { values: degenerateBand }, mark: { type: 'rect', color: '#fbe3c8' }, encoding: { x: { field: 'a', type: 'quantitative' }, x2: { field: 'b' } } },
                {
                  data: { values: degenerateBand.map((b) => ({ x: b.a, text: `2D at ω0 = ${fd.parameters.omega0}` })) },
                  mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 4, dy: -4, fontSize: 10, color: '#a0522d' },
                  encoding: { x: { field: 'x', type: 'quantitative' }, y: { datum: 0 }, text: { field: 'text' } },
                },
              ]
            : []),
          {
            data: { values: extLong },
            mark: { type: 'line', strokeWidth: 1.6 },
            encoding: {
              x: { field: 'dz', type: 'quantitative', title: 'Δz (λ11)', scale: { domain: [x0, x1], nice: false } },
              y: { field: 'value', type: 'quantitative', title: 'E(∞) extremes (ω11)' },
              color: { field: 'omega0', type: 'nominal', title: null, scale: { range: ['#d62728', '#1f77b4', '#2ca02c'] }, legend: { orient: 'top-right' } },
              strokeDash: { field: 'extreme', type: 'nominal', title: null, scale: { domain: ['max', 'min'], range: [[1, 0], [4, 3]] }, legend: { orient: 'top-left' } },
              detail: { field: 'series' },
            },
          },
        ],
      },
    ],
  };
}

const REGIME_COLORS = { domain: [...REGIME_LABELS], range: [...REGIME_COLOURS] };

function fig4Spec(fd: FigureData): Spec {
  const map = records(table(fd, 'fig4ab_map'));
  const [z0, z1] = extent(map.map((d) => num(d, 'dz')));
  const regimeColour = new Map<string, string>(REGIME_LABELS.map((r, k) => [r, REGIME_COLOURS[k]!]));
  const regimes = REGIME_LABELS.filter((r) => map.some((d) => String(d.regime) === r));
  const wMax = Math.max(0, ...map.map((d) => num(d, 'ergotropyMax')).filter(Number.isFinite));
  // Δz across, ω0 up; the explorer's map uses the same axes and colours (src/studies/regimeColours.ts).
  const grid = { x: 'dz', y: 'omega0', xTitle: 'Δz (λ11)', yTitle: 'ω0 (ω11)' };
  const best = records(table(fd, 'fig4c_max'), ['ergotropyMaxOverOmega0']);
  const countTitle = effectiveCountTitle(Number(fd.parameters.residueThreshold), Number(fd.parameters.observationTime));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: fd.title, subtitle: `Γ11 = ${fd.parameters.gamma11} ω11; (a) ${countTitle}` },
    config: CONFIG,
    hconcat: [
      {
        title: '(a) effective number M of bound states',
        width: 250,
        height: 280,
        layer: heatmap(map, {
          ...grid,
          colour: (d) => regimeColour.get(String(d.regime)) ?? '#ffffff',
          legend: { field: 'regime', type: 'nominal', title: 'M', scale: REGIME_COLORS, legend: { orient: 'right', symbolOpacity: 1, symbolType: 'square' } },
          legendValues: regimes.map((r) => ({ regime: r })),
        }),
      },
      {
        title: '(b) max W(∞)',
        width: 250,
        height: 280,
        layer: heatmap(map, {
          ...grid,
          colour: (d) => viridisOf(num(d, 'ergotropyMax'), 0, wMax),
          legend: { field: 'w', type: 'quantitative', title: 'W (ω11)', scale: { scheme: 'viridis', domain: [0, wMax] } },
          legendValues: [{ w: 0 }, { w: wMax }],
        }),
      },
      {
        title: '(c) max over ω0 of W(∞)',
        width: 250,
        height: 280,
        data: { values: best },
        mark: { type: 'line', point: { size: 12 }, color: '#333' },
        encoding: {
          x: { field: 'dz', type: 'quantitative', title: 'Δz (λ11)', scale: { domain: [z0, z1], nice: false } },
          y: { field: 'ergotropyMaxOverOmega0', type: 'quantitative', title: 'max over ω0 of W(∞) (ω11)' },
        },
      },
    ],
    resolve: INDEPENDENT,
  };
}

/** The Vega-Lite specification of a figure. */
export function figureSpec(fd: FigureData): Spec {
  switch (fd.id) {
    case 'fig2': return fig2Spec(fd);
    case 'fig3': return fig3Spec(fd);
    case 'fig4': return fig4Spec(fd);
  }
}

/** Renders a Vega-Lite spec to SVG text (no DOM). */
export async function renderSvg(spec: Spec): Promise<string> {
  const compiled = vl.compile(spec as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises SVG to PNG at `scale` × the SVG size, with the system's fonts. */
export function renderPng(svg: string, scale = 2): Uint8Array {
  const r = new Resvg(svg, { background: 'white', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: scale } });
  return r.render().asPng();
}
