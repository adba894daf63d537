import * as vl from 'vega-lite';
import * as vega from 'vega';
import { Resvg } from '@resvg/resvg-js';
import type { FigureData, Table } from '../../src/studies/figureData.js';
import { effectiveCountTitle, REGIME_COLOURS, REGIME_LABELS } from '../../src/studies/regimeColours.js';
import { encodePng, heatmapDataUri } from './heatmap.js';

/**
 * Figure rendering for `qbwave figures`: Vega-Lite specifications built from FigureData, compiled to
 * Vega and rendered to SVG headlessly (renderer 'none', no DOM), then rasterised to PNG by resvg.
 * Axis titles carry units (ω₀, E in ω₁₁; Δz in λ₁₁; t in 1/ω₁₁).
 *
 * Layout: Vega sizes every text by its width, which without a canvas it only estimates (0.8 em a
 * character, ~30 % too wide for DejaVu Sans: legends and titles left ~100 px of blank canvas). Here
 * Vega measures with the advance widths of DejaVu Sans (the font resvg draws with), the labels inside a
 * plot are placed where no curve, rule or other label crosses them (placeLabels), legends sit outside
 * the plots, and the finished SVG is cropped to its drawn pixels plus TIGHT_MARGIN (tightenSvg).
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

// ---------------------------------------------------------------------------------------------
// Text widths

/**
 * Characters the figures use and their advance widths in DejaVu Sans Book and Bold, in font units
 * (2048 to the em), read from the hmtx tables of DejaVuSans.ttf and DejaVuSans-Bold.ttf (version 2.37;
 * test/cli/figureLayout.test.ts checks them against resvg's rendering). Kerning is ignored (≤ 1 %).
 */
const GLYPHS =
  ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~' +
  'ΓΔΛΩΣΦΨΘΥαβγδεζηθλμνξπρστφχψω−–—’′≥≤≈∞∈·×→±∓°…√₀₁₂₃₄₅₆₇₈₉₊₋⁰¹²³⁴⁵⁶⁷⁸⁹⁻';
const BOOK = [
  651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303,
  1303, 1303, 690, 690, 1716, 1716, 1716, 1087, 2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612,
  1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721, 1300,
  1298, 569, 569, 1186, 569, 1995, 1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716, 1141,
  1401, 1401, 1565, 1294, 1612, 1612, 1612, 1251, 1350, 1307, 1212, 1253, 1107, 1114, 1298, 1253, 1212, 1303, 1144, 1142, 1233, 1300, 1298, 1233,
  1351, 1183, 1351, 1715, 1716, 1024, 2048, 651, 465, 1716, 1716, 1716, 1706, 1784, 651, 1716, 1716, 1716, 1716, 1024, 2048, 1305, 821, 821,
  821, 821, 821, 821, 821, 821, 821, 821, 1081, 1081, 821, 821, 821, 821, 821, 821, 821, 821, 821, 821, 1081,
];
const BOLD = [
  713, 934, 1067, 1716, 1425, 2052, 1786, 627, 936, 936, 1071, 1716, 778, 850, 778, 748, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425,
  1425, 1425, 819, 819, 1716, 1716, 1716, 1188, 2048, 1585, 1561, 1503, 1700, 1399, 1399, 1681, 1714, 762, 762, 1587, 1305, 2038, 1714, 1741,
  1501, 1741, 1577, 1475, 1397, 1663, 1585, 2259, 1579, 1483, 1485, 936, 748, 936, 1716, 1024, 1024, 1382, 1466, 1214, 1466, 1389, 891, 1466,
  1458, 702, 702, 1362, 702, 2134, 1458, 1407, 1466, 1466, 1010, 1219, 979, 1458, 1335, 1892, 1321, 1335, 1192, 1458, 748, 1458, 1716, 1305,
  1585, 1585, 1741, 1399, 1741, 1740, 1741, 1483, 1407, 1466, 1395, 1407, 1140, 1210, 1458, 1407, 1296, 1507, 1395, 1210, 1620, 1466, 1595, 1307,
  1602, 1321, 1626, 1780, 1716, 1024, 2048, 778, 540, 1716, 1716, 1716, 1706, 1836, 778, 1716, 1716, 1716, 1716, 1024, 2048, 1366, 897, 897,
  897, 897, 897, 897, 897, 897, 897, 897, 1081, 1081, 897, 897, 897, 897, 897, 897, 897, 897, 897, 897, 1081,
];
const GLYPH_INDEX = new Map([...GLYPHS].map((c, k) => [c, k]));
const UNITS_PER_EM = 2048;
/** Width of a character not in the table: a mathematical operator's, wider than any letter but W, M, m. */
const UNKNOWN_WIDTH = 1716;

/** Width in px of `text` at `fontSize` px in DejaVu Sans (Book or Bold). */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const widths = bold ? BOLD : BOOK;
  let units = 0;
  for (const ch of text) {
    const k = GLYPH_INDEX.get(ch);
    units += k === undefined ? UNKNOWN_WIDTH : widths[k]!;
  }
  return (units * fontSize) / UNITS_PER_EM;
}

/** The characters of `text` the width table lacks (measured as UNKNOWN_WIDTH); '' when all are known. */
export function glyphsWithoutMetrics(text: string): string {
  return [...new Set([...text].filter((c) => !GLYPH_INDEX.has(c)))].join('');
}

interface TextItem { fontSize?: number | string; fontWeight?: number | string; limit?: number }

function isBold(weight: unknown): boolean {
  if (weight === 'bold' || weight === 'bolder') return true;
  const w = Number(weight);
  return Number.isFinite(w) && w >= 600;
}

/**
 * Vega's text-width hook (vega-scenegraph `textMetrics.width`, the hook vl-convert also replaces):
 * the width of one line of a text item. With a `limit`, Vega cuts the text to fit it, so the width is
 * capped there (the cap keeps Vega's own `width < limit` test for cutting exact).
 */
function itemTextWidth(item: TextItem, text: unknown): number {
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  const s = text == null ? '' : String(text).trim();
  const w = textWidth(s, size, isBold(item.fontWeight));
  const limit = Number(item.limit) || 0;
  return limit > 0 ? Math.min(w, limit) : w;
}

(vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics.width = itemTextWidth;

// ---------------------------------------------------------------------------------------------
// Typesetting

const SUBSCRIPT_DIGITS = '₀₁₂₃₄₅₆₇₈₉';

/**
 * The paper's notation in figure text: a digit index after ω, Γ or λ becomes a subscript (ω0 → ω₀,
 * ω11 → ω₁₁, Γ11 → Γ₁₁, λ11 → λ₁₁) and so does the sign of E± and Z± (E+ → E₊, Z− → Z₋).
 */
export function typeset(text: string): string {
  return text
    .replace(/([ωΓλ])(\d+)/g, (_, g: string, d: string) => g + [...d].map((c) => SUBSCRIPT_DIGITS[Number(c)]).join(''))
    .replace(/(^|[\s(])([EZ])([+−])(?=[\s),:;]|$)/g, (_, pre: string, q: string, sign: string) => `${pre}${q}${sign === '+' ? '₊' : '₋'}`);
}

/** Every string of a spec typeset, except data URIs (the heat-map images). */
function typesetSpec<T>(v: T): T {
  if (typeof v === 'string') return (v.startsWith('data:') ? v : typeset(v)) as T;
  if (Array.isArray(v)) return v.map((x) => typesetSpec(x)) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = typesetSpec(x);
    return out as T;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Labels inside a plot

/** A plot area: its size in px (y down) and the data domains its linear x and y scales map onto it. */
interface Frame {
  width: number;
  height: number;
  x: readonly [number, number];
  y: readonly [number, number];
}

export interface Box { x0: number; y0: number; x1: number; y1: number }
type Segment = readonly [number, number, number, number];

const pxX = (f: Frame, x: number) => ((x - f.x[0]) / (f.x[1] - f.x[0])) * f.width;
const pxY = (f: Frame, y: number) => f.height - ((y - f.y[0]) / (f.y[1] - f.y[0])) * f.height;

/** The segments of a polyline through (x, y) data points, in px; non-finite points break it. */
function polyline(f: Frame, points: ReadonlyArray<readonly [number, number]>): Segment[] {
  const out: Segment[] = [];
  for (let k = 1; k < points.length; k++) {
    const [xa, ya] = points[k - 1]!;
    const [xb, yb] = points[k]!;
    if ([xa, ya, xb, yb].every(Number.isFinite)) out.push([pxX(f, xa), pxY(f, ya), pxX(f, xb), pxY(f, yb)]);
  }
  return out;
}

/** A vertical rule across the whole plot at data x. */
function rule(f: Frame, x: number): Segment {
  const p = pxX(f, x);
  return [p, 0, p, f.height];
}

/** Whether segment s meets box b (Liang–Barsky clipping of the segment to the box). */
export function segmentHitsBox(s: Segment, b: Box): boolean {
  const [x0, y0, x1, y1] = s;
  const dx = x1 - x0;
  const dy = y1 - y0;
  let t0 = 0;
  let t1 = 1;
  const edges: Array<[number, number]> = [[-dx, x0 - b.x0], [dx, b.x1 - x0], [-dy, y0 - b.y0], [dy, b.y1 - y0]];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const r = q / p;
      if (p < 0) { if (r > t1) return false; if (r > t0) t0 = r; }
      else { if (r < t0) return false; if (r < t1) t1 = r; }
    }
  }
  return t0 <= t1;
}

const overlap = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Clearance in px kept between a label's glyphs and any line, other label or the plot's frame. */
const LABEL_PAD = 2;

interface LabelRequest {
  text: string;
  fontSize: number;
  colour: string;
  /** Where the text may be anchored (px) and how it is aligned there; earlier ones are preferred by `penalty` px. */
  anchors: ReadonlyArray<{ x: number; align: 'left' | 'right'; penalty?: number }>;
  /** Range of the text's middle line, px from the top of the plot. */
  yRange: readonly [number, number];
  /** The middle line wanted; candidates are ranked by their distance from it plus the anchor's penalty. */
  preferY: number;
  /** Regions this label must keep out of (e.g. a shaded band), besides the obstacles shared by all. */
  avoid?: Box[];
}

export interface PlacedLabel { text: string; x: number; y: number; align: 'left' | 'right'; fontSize: number; colour: string; box: Box }

/** The box a label's glyphs fill, padded: Vega puts the alphabetic baseline of a 'middle' text 0.3 em below y. */
function labelBox(text: string, fontSize: number, x: number, y: number, align: 'left' | 'right'): Box {
  const w = textWidth(text, fontSize);
  const left = align === 'left' ? x : x - w;
  // DejaVu Sans: ascent 0.76 em, descent 0.24 em (subscripts reach 0.2 em below the baseline)
  return { x0: left - LABEL_PAD, x1: left + w + LABEL_PAD, y0: y + 0.3 * fontSize - 0.76 * fontSize - LABEL_PAD, y1: y + 0.3 * fontSize + 0.26 * fontSize + LABEL_PAD };
}

/**
 * Places labels one after the other where their box is inside the plot and crosses no segment (curves,
 * rules), no region to avoid and no label placed before. Of the free spots (every anchor, every px of
 * yRange) the one nearest the wanted line wins; if none is free the wanted spot is used (the layout test
 * then fails, which is what should happen).
 */
function placeLabels(f: Frame, requests: LabelRequest[], segments: Segment[], boxes: Box[] = []): PlacedLabel[] {
  const placed: PlacedLabel[] = [];
  const taken = [...boxes];
  for (const r of requests) {
    const text = typeset(r.text);
    let best: { score: number; label: PlacedLabel } | undefined;
    for (const a of r.anchors) {
      for (let y = Math.ceil(r.yRange[0]); y <= r.yRange[1]; y++) {
        const score = Math.abs(y - r.preferY) + (a.penalty ?? 0);
        if (best && score >= best.score) continue;
        const box = labelBox(text, r.fontSize, a.x, y, a.align);
        if (box.x0 < 1 || box.y0 < 1 || box.x1 > f.width - 1 || box.y1 > f.height - 1) continue;
        if (taken.some((b) => overlap(b, box)) || (r.avoid ?? []).some((b) => overlap(b, box))) continue;
        if (segments.some((s) => segmentHitsBox(s, box))) continue;
        best = { score, label: { text, x: a.x, y, align: a.align, fontSize: r.fontSize, colour: r.colour, box } };
      }
    }
    const a = r.anchors[0]!;
    const label = best?.label ?? { text, x: a.x, y: r.preferY, align: a.align, fontSize: r.fontSize, colour: r.colour, box: labelBox(text, r.fontSize, a.x, r.preferY, a.align) };
    placed.push(label);
    taken.push(label.box);
  }
  return placed;
}

/** A placed label as a Vega-Lite layer at pixel positions (x and y without a scale). */
function labelLayer(l: PlacedLabel): Spec {
  return {
    data: { values: [{ px: l.x, py: l.y, text: l.text }] },
    mark: { type: 'text', align: l.align, baseline: 'middle', fontSize: l.fontSize, color: l.colour },
    encoding: { x: { field: 'px', type: 'quantitative', scale: null }, y: { field: 'py', type: 'quantitative', scale: null }, text: { field: 'text' } },
  };
}

/** Gap in px between a threshold rule and its label. */
const RULE_GAP = 4;

/** Label requests for the x-axis markers of one panel: right of the rule if it fits, else left. */
function markerRequests(fd: FigureData, panel: string, f: Frame, preferY: number, avoid: Box[]): LabelRequest[] {
  return fd.markers
    .filter((m) => m.panel === panel && m.axis === 'x')
    .map((m) => {
      const x = pxX(f, m.value);
      return {
        text: m.label, fontSize: 10, colour: '#333',
        anchors: [{ x: x + RULE_GAP, align: 'left' as const }, { x: x - RULE_GAP, align: 'right' as const, penalty: 10 }],
        yRange: [0, f.height] as const, preferY, avoid,
      };
    });
}

function markerRules(fd: FigureData, panel: string): Spec[] {
  const ms = fd.markers.filter((m) => m.panel === panel && m.axis === 'x').map((m) => ({ value: m.value }));
  if (ms.length === 0) return [];
  return [{ data: { values: ms }, mark: { type: 'rule', strokeDash: [4, 3], color: '#333' }, encoding: { x: { field: 'value', type: 'quantitative' } } }];
}

/**
 * The label of a shaded band (the continuum, the 2D region): inside the band, as near its top-right
 * (or top-left) corner as the curves and rules allow.
 */
function bandLabel(text: string, band: Box, colour: string, fontSize: number, corner: 'right' | 'left'): LabelRequest {
  const anchors: Array<{ x: number; align: 'left' | 'right'; penalty: number }> = [];
  for (let k = 0; k * 4 < band.x1 - band.x0; k++) {
    anchors.push(corner === 'right' ? { x: band.x1 - 4 - 4 * k, align: 'right', penalty: 4 * k } : { x: band.x0 + 4 + 4 * k, align: 'left', penalty: 4 * k });
  }
  return { text, fontSize, colour, anchors, yRange: [band.y0, band.y1], preferY: band.y0 + fontSize };
}

// ---------------------------------------------------------------------------------------------
// Data helpers and layers

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

/** Points of a series as [x, y] pairs, in data order. */
function points(data: Datum[], x: string, y: string): Array<[number, number]> {
  return data.map((d) => [num(d, x), num(d, y)]);
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
      // aria: false, or Vega copies the whole data URI into an aria-label (twice the SVG size)
      mark: { type: 'image', aspect: false, aria: false },
      encoding: { x: { field: 'x0', ...x }, x2: { field: 'x1' }, y: { field: 'y1', ...y }, y2: { field: 'y0' }, url: { field: 'url', type: 'nominal' } },
    },
    {
      data: { values: o.legendValues.map((v) => ({ ...v, px: xs[0]!, py: ys[0]! })) },
      mark: { type: 'point', filled: true, opacity: 0, aria: false },
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

/** A legend outside the plot, on its right (inside legends met curves and threshold rules). */
const RIGHT = { orient: 'right' } as const;

// ---------------------------------------------------------------------------------------------
// Figures

function fig2Spec(fd: FigureData): Spec {
  const sp = records(table(fd, 'fig2a_spectrum'));
  const branches: Datum[] = [];
  for (const d of sp) {
    if (Number.isFinite(num(d, 'Eplus'))) branches.push({ omega0: num(d, 'omega0'), E: num(d, 'Eplus'), branch: 'E+ (symmetric)' });
    if (Number.isFinite(num(d, 'Eminus'))) branches.push({ omega0: num(d, 'omega0'), E: num(d, 'Eminus'), branch: 'E− (antisymmetric)' });
  }
  const [x0, x1] = extent(sp.map((d) => num(d, 'omega0')));
  const yTop = 1.3;
  const fa: Frame = { width: 330, height: 280, x: [x0, x1], y: [0, yTop] };
  const segments = [
    ...polyline(fa, points(branches.filter((b) => b.branch === 'E+ (symmetric)'), 'omega0', 'E')),
    ...polyline(fa, points(branches.filter((b) => b.branch === 'E− (antisymmetric)'), 'omega0', 'E')),
    ...fd.markers.filter((m) => m.panel === 'a' && m.axis === 'x').map((m) => rule(fa, m.value)),
  ];
  const band: Box = { x0: 0, x1: fa.width, y0: pxY(fa, yTop), y1: pxY(fa, 1) };
  const [continuum] = placeLabels(fa, [bandLabel('continuum', band, '#555', 11, 'right')], segments);
  const markerLabels = placeLabels(fa, markerRequests(fd, 'a', fa, fa.height - 24, [band]), segments, [continuum!.box]);
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
        width: fa.width,
        height: fa.height,
        layer: [
          continuumLayer(x0, x1, yTop),
          {
            data: { values: branches },
            mark: { type: 'line', strokeDash: [6, 3], strokeWidth: 2 },
            encoding: {
              x: { field: 'omega0', type: 'quantitative', title: 'ω0 (ω11)', scale: { domain: [x0, x1], nice: false } },
              y: { field: 'E', type: 'quantitative', title: 'bound-state energy E (ω11)', scale: { domain: [0, yTop], nice: false } },
              color: { field: 'branch', type: 'nominal', title: null, scale: { range: ['#d62728', '#1f77b4'] }, legend: { orient: 'top', direction: 'horizontal', offset: 6, symbolType: 'stroke', symbolDash: [6, 3], symbolStrokeWidth: 2 } },
            },
          },
          ...markerRules(fd, 'a'),
          labelLayer(continuum!),
          ...markerLabels.map(labelLayer),
        ],
      },
      {
        title: '(b) battery energy',
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
              color: { field: 'label', type: 'nominal', title: null, scale: { domain: labels, range: ['#2ca02c', '#1f77b4', '#d62728'] }, legend: { ...RIGHT, symbolType: 'stroke', symbolStrokeWidth: 2 } },
              strokeDash: { field: 'method', type: 'nominal', title: null, scale: { domain: methods, range: [[1, 0], [5, 3]] }, legend: { ...RIGHT, symbolType: 'stroke', symbolStrokeColor: '#333', symbolStrokeWidth: 2 } },
            },
          },
          {
            data: { values: eq8 },
            mark: { type: 'point', filled: true, size: 14, color: 'black', opacity: 1 },
            encoding: {
              x: { field: 't', type: 'quantitative' },
              y: { field: 'energyEq8', type: 'quantitative' },
              shape: { datum: 'long-time limit (Eq. 8)', type: 'nominal', title: null, scale: { range: ['circle'] }, legend: { ...RIGHT, symbolFillColor: 'black', symbolStrokeColor: 'black', symbolSize: 20 } },
            },
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
  const fa: Frame = { width: 360, height: 170, x: [x0, x1], y: [yLo, yTop] };
  const segmentsA = [
    ...polyline(fa, points(branches.filter((b) => b.branch === 'E+'), 'dz', 'E')),
    ...polyline(fa, points(branches.filter((b) => b.branch === 'E−'), 'dz', 'E')),
    ...fd.markers.filter((m) => m.panel === 'a' && m.axis === 'x').map((m) => rule(fa, m.value)),
  ];
  const bandA: Box = { x0: 0, x1: fa.width, y0: pxY(fa, yTop), y1: pxY(fa, 1) };
  const [continuum] = placeLabels(fa, [bandLabel('continuum', bandA, '#555', 11, 'right')], segmentsA);
  const markerLabels = placeLabels(fa, markerRequests(fd, 'a', fa, fa.height - 16, [bandA]), segmentsA, [continuum!.box]);
  const map = records(table(fd, 'fig3a_longtime'), ['energy']);
  const [eLo, eHi] = extent(map.map((d) => num(d, 'energy')));
  const ext = records(table(fd, 'fig3b_extremes'));
  const extLong: Datum[] = [];
  for (const d of ext) {
    extLong.push({ dz: num(d, 'dz'), value: num(d, 'energyMax'), series: `ω0 = ${d.omega0}: max E(∞)`, omega0: `ω0 = ${d.omega0} ω11`, extreme: 'max' });
    extLong.push({ dz: num(d, 'dz'), value: num(d, 'energyMin'), series: `ω0 = ${d.omega0}: min E(∞)`, omega0: `ω0 = ${d.omega0} ω11`, extreme: 'min' });
  }
  const finite = extLong.filter((d) => Number.isFinite(num(d, 'value')));
  const fb: Frame = { width: 330, height: 380, x: [x0, x1], y: [0, Math.ceil(Math.max(0.1, ...finite.map((d) => num(d, 'value'))) * 10) / 10] };
  const segmentsB = [...new Set(extLong.map((d) => String(d.series)))].flatMap((s) => polyline(fb, points(extLong.filter((d) => d.series === s), 'dz', 'value')));
  const shaded2D = bs.filter((d) => d.regime === '2D').map((d) => num(d, 'dz'));
  const degenerateBand = shaded2D.length ? [{ a: Math.min(...shaded2D), b: x1 }] : [];
  const bandLabels = degenerateBand.length
    ? placeLabels(fb, [bandLabel(`2D at ω0 = ${fd.parameters.omega0}`, { x0: pxX(fb, degenerateBand[0]!.a), x1: fb.width, y0: 0, y1: fb.height }, '#a0522d', 10, 'left')], segmentsB)
    : [];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: fd.title.replace('charger-battery', 'charger–battery'), subtitle: `Γ11 = ${fd.parameters.gamma11} ω11; (a) ω0 = ${fd.parameters.omega0} ω11` },
    config: CONFIG,
    resolve: INDEPENDENT,
    hconcat: [
      {
        vconcat: [
          {
            title: '(a) bound-state energies',
            width: fa.width,
            height: fa.height,
            layer: [
              continuumLayer(x0, x1, yTop),
              {
                data: { values: branches },
                mark: { type: 'line', strokeDash: [6, 3], strokeWidth: 2 },
                encoding: {
                  x: { field: 'dz', type: 'quantitative', title: 'Δz (λ11)', scale: { domain: [x0, x1], nice: false } },
                  y: { field: 'E', type: 'quantitative', title: 'E (ω11)', scale: { domain: [yLo, yTop], nice: false } },
                  color: { field: 'branch', type: 'nominal', title: null, scale: { range: ['#d62728', '#9467bd'] }, legend: { ...RIGHT, symbolType: 'stroke', symbolDash: [6, 3], symbolStrokeWidth: 2 } },
                },
              },
              ...markerRules(fd, 'a'),
              labelLayer(continuum!),
              ...markerLabels.map(labelLayer),
            ],
          },
          {
            title: `long-time E(t), t ∈ [${fd.parameters.tFrom}, ${fd.parameters.tMax}]/ω11 (${fd.parameters.method}, tol ${fd.parameters.tol})`,
            width: fa.width,
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
        width: fb.width,
        height: fb.height,
        layer: [
          ...(degenerateBand.length
            ? [{ data: { values: degenerateBand }, mark: { type: 'rect', color: '#fbe3c8' }, encoding: { x: { field: 'a', type: 'quantitative' }, x2: { field: 'b' } } }]
            : []),
          {
            data: { values: extLong },
            mark: { type: 'line', strokeWidth: 1.6 },
            encoding: {
              x: { field: 'dz', type: 'quantitative', title: 'Δz (λ11)', scale: { domain: [x0, x1], nice: false } },
              y: { field: 'value', type: 'quantitative', title: 'E(∞) extremes (ω11)', scale: { domain: [...fb.y], nice: false } },
              color: { field: 'omega0', type: 'nominal', title: null, scale: { range: ['#d62728', '#1f77b4', '#2ca02c'] }, legend: RIGHT },
              strokeDash: { field: 'extreme', type: 'nominal', title: null, scale: { domain: ['max', 'min'], range: [[1, 0], [4, 3]] }, legend: { ...RIGHT, symbolType: 'stroke', symbolStrokeColor: '#333', symbolStrokeWidth: 2 } },
              detail: { field: 'series' },
            },
          },
          ...bandLabels.map(labelLayer),
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

/** The Vega-Lite specification of a figure, its text typeset (ω₀, ω₁₁, Γ₁₁, λ₁₁, E₊, …). */
export function figureSpec(fd: FigureData): Spec {
  switch (fd.id) {
    case 'fig2': return typesetSpec(fig2Spec(fd));
    case 'fig3': return typesetSpec(fig3Spec(fd));
    case 'fig4': return typesetSpec(fig4Spec(fd));
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** Blank margin in px (SVG units) that tightenSvg leaves around the drawn content. */
export const TIGHT_MARGIN = 5;

function resvg(svg: string, scale: number): Resvg {
  return new Resvg(svg, { background: 'white', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: scale } });
}

/** Bounding box (px, inclusive) of the pixels of an RGBA image that are not pure white; null if all are. */
export function inkBox(pixels: Uint8Array, width: number, height: number): Box | null {
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width * 4;
    for (let x = 0; x < width; x++) {
      const o = row + 4 * x;
      if (pixels[o]! < 255 || pixels[o + 1]! < 255 || pixels[o + 2]! < 255) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1, y1 };
}

const GREY_PIXEL = `data:image/png;base64,${encodePng(1, 1, () => [128, 128, 128]).toString('base64')}`;

/**
 * Crops a Vega SVG to what is drawn: resvg renders it once at 1 px a unit, with the fonts the PNG
 * uses, and the box of the non-white pixels plus `margin` becomes the viewBox (the white background
 * rectangle moves with it). An SVG without Vega's `width height viewBox="0 0 …"` head is returned as is.
 */
export function tightenSvg(svg: string, margin = TIGHT_MARGIN): string {
  const head = /^<svg([^>]*?) width="([\d.]+)" height="([\d.]+)" viewBox="0 0 [\d.]+ [\d.]+">(<rect width="[\d.]+" height="[\d.]+" fill="white"\/>)?/.exec(svg);
  if (!head) return svg;
  // Embedded images drawn as one grey pixel stretched over the same box: the same extent, far less work.
  const probe = svg.replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, GREY_PIXEL);
  const img = resvg(probe, 1).render();
  const box = inkBox(img.pixels, img.width, img.height);
  if (!box) return svg;
  const x = box.x0 - margin;
  const y = box.y0 - margin;
  const w = box.x1 - box.x0 + 1 + 2 * margin;
  const h = box.y1 - box.y0 + 1 + 2 * margin;
  const background = head[4] ? `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="white"/>` : '';
  return `<svg${head[1]} width="${w}" height="${h}" viewBox="${x} ${y} ${w} ${h}">${background}${svg.slice(head[0].length)}`;
}

/** Renders a Vega-Lite spec to SVG text (no DOM), cropped to its content unless `tight` is false. */
export async function renderSvg(spec: Spec, options: { tight?: boolean } = {}): Promise<string> {
  const compiled = vl.compile(spec as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return options.tight === false ? svg : tightenSvg(svg);
  } finally {
    view.finalize();
  }
}

/** Rasterises SVG to PNG at `scale` × the SVG size, with the system's fonts. */
export function renderPng(svg: string, scale = 2): Uint8Array {
  return resvg(svg, scale).render().asPng();
}
