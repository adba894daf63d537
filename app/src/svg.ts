/**
 * Standalone SVG of a Figure (for export; the live view is uPlot). Pure string building, no DOM, so
 * it is tested in Node. Numbers are written with 2 decimals (sub-pixel precision).
 */
import type { Figure } from './figures.js';

export interface SvgOptions {
  width?: number;
  height?: number;
  /** Extra line under the title (parameters). */
  subtitle?: string;
}

/** "Nice" tick values inside [lo, hi], about `count` of them (steps 1, 2, 5 × 10^k, as d3.ticks). */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return Number.isFinite(lo) ? [lo] : [];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  // d3-array's thresholds: the step whose tick count is nearest `count` (geometric midpoints).
  const step = (norm >= Math.sqrt(50) ? 10 : norm >= Math.sqrt(10) ? 5 : norm >= Math.SQRT2 ? 2 : 1) * mag;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.push(Number((k * step).toPrecision(12)) + 0);
  return out;
}

function tickLabel(v: number): string {
  return Number(v.toPrecision(6)).toString();
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Data extent of the figure (ranges given in the figure win). */
export function extent(fig: Figure): { x: [number, number]; y: [number, number] } {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < fig.x.length; i++) { const v = fig.x[i]; if (Number.isFinite(v)) { x0 = Math.min(x0, v); x1 = Math.max(x1, v); } }
  for (const s of fig.series) for (let i = 0; i < s.values.length; i++) { const v = s.values[i]; if (Number.isFinite(v)) { y0 = Math.min(y0, v); y1 = Math.max(y1, v); } }
  const x: [number, number] = fig.xRange ?? (x1 > x0 ? [x0, x1] : [0, 1]);
  const y: [number, number] = fig.yRange ?? (y1 > y0 ? [y0, y1] : [0, 1]);
  return { x, y };
}

const f2 = (v: number) => (Math.round(v * 100) / 100).toString();

export function figureToSvg(fig: Figure, opt: SvgOptions = {}): string {
  const W = opt.width ?? 800;
  const H = opt.height ?? 480;
  const m = { l: 72, r: 20, t: opt.subtitle ? 64 : 44, b: 56 };
  const legendH = 18 * Math.ceil((fig.series.length + fig.bands.length) / 3);
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b - legendH;
  const { x: [xa, xb], y: [ya, yb] } = extent(fig);
  const sx = (v: number) => m.l + ((v - xa) / (xb - xa)) * pw;
  const sy = (v: number) => m.t + ph - ((v - ya) / (yb - ya)) * ph;
  const clamp = (v: number) => Math.min(Math.max(v, ya - (yb - ya)), yb + (yb - ya));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-label="${escapeXml(fig.summary)}">`);
  out.push(`<title>${escapeXml(fig.title)}</title><desc>${escapeXml(fig.summary)}</desc>`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${m.l}" y="22" font-size="16" font-weight="600" fill="#111827">${escapeXml(fig.title)}</text>`);
  if (opt.subtitle) out.push(`<text x="${m.l}" y="42" fill="#374151">${escapeXml(opt.subtitle)}</text>`);
  out.push(`<defs><clipPath id="plot-${fig.id}"><rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}"/></clipPath></defs>`);
  // Bands, below everything.
  out.push(`<g clip-path="url(#plot-${fig.id})">`);
  for (const b of fig.bands) {
    const top = sy(Math.min(b.y1, yb + (yb - ya)));
    const bot = sy(Math.max(b.y0, ya - (yb - ya)));
    out.push(`<rect x="${m.l}" y="${f2(top)}" width="${pw}" height="${f2(Math.max(bot - top, 0))}" fill="${b.fill}"/>`);
    if (b.stroke) {
      for (const v of [b.y0, b.y1]) if (Number.isFinite(v)) out.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${f2(sy(v))}" y2="${f2(sy(v))}" stroke="${b.stroke}" stroke-width="1"/>`);
    }
  }
  out.push('</g>');
  // Grid and axes.
  const xt = niceTicks(xa, xb, Math.max(3, Math.round(pw / 90)));
  const yt = niceTicks(ya, yb, Math.max(3, Math.round(ph / 50)));
  out.push('<g stroke="#e5e7eb" stroke-width="1">');
  for (const v of xt) out.push(`<line x1="${f2(sx(v))}" x2="${f2(sx(v))}" y1="${m.t}" y2="${m.t + ph}"/>`);
  for (const v of yt) out.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${f2(sy(v))}" y2="${f2(sy(v))}"/>`);
  out.push('</g>');
  out.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#6b7280"/>`);
  out.push('<g fill="#374151" text-anchor="middle">');
  for (const v of xt) out.push(`<text x="${f2(sx(v))}" y="${m.t + ph + 16}">${tickLabel(v)}</text>`);
  out.push('</g><g fill="#374151" text-anchor="end">');
  for (const v of yt) out.push(`<text x="${m.l - 6}" y="${f2(sy(v) + 4)}">${tickLabel(v)}</text>`);
  out.push('</g>');
  out.push(`<text x="${f2(m.l + pw / 2)}" y="${m.t + ph + 38}" text-anchor="middle" fill="#111827">${escapeXml(fig.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${f2(m.t + ph / 2)}) rotate(-90)" text-anchor="middle" fill="#111827">${escapeXml(fig.yLabel)}</text>`);
  // Series as polylines split at gaps.
  out.push(`<g clip-path="url(#plot-${fig.id})" fill="none">`);
  for (const vl of fig.vlines) {
    if (vl.x < xa || vl.x > xb) continue;
    out.push(`<line x1="${f2(sx(vl.x))}" x2="${f2(sx(vl.x))}" y1="${m.t}" y2="${m.t + ph}" stroke="${vl.color}" stroke-width="1"${vl.dash ? ` stroke-dasharray="${vl.dash.join(' ')}"` : ''}/>`);
  }
  for (const s of fig.series) {
    const dash = s.dash ? ` stroke-dasharray="${s.dash.join(' ')}"` : '';
    let pts: string[] = [];
    const flush = () => {
      if (pts.length > 1) out.push(`<polyline points="${pts.join(' ')}" stroke="${s.color}" stroke-width="${s.width ?? 1.5}"${dash} stroke-linejoin="round"/>`);
      pts = [];
    };
    const n = Math.min(fig.x.length, s.values.length);
    for (let i = 0; i < n; i++) {
      const xv = fig.x[i], yv = s.values[i];
      if (!Number.isFinite(xv) || !Number.isFinite(yv)) { flush(); continue; }
      pts.push(`${f2(sx(xv))},${f2(sy(clamp(yv)))}`);
    }
    flush();
  }
  for (const mk of fig.markers) {
    out.push(`<circle cx="${f2(sx(mk.x))}" cy="${f2(sy(mk.y))}" r="5" fill="${mk.color}" stroke="#ffffff" stroke-width="1.5"><title>${escapeXml(mk.label)}</title></circle>`);
  }
  out.push('</g>');
  // Legend below the x-axis title.
  const items = [...fig.series.map((s) => ({ label: s.label, color: s.color, dash: s.dash, band: false })), ...fig.bands.map((b) => ({ label: b.label, color: b.fill, dash: undefined, band: true }))];
  const colW = (W - m.l - m.r) / 3;
  items.forEach((it, i) => {
    const x = m.l + (i % 3) * colW;
    const y = H - legendH - 8 + 18 * Math.floor(i / 3) + 12;
    if (it.band) out.push(`<rect x="${x}" y="${y - 8}" width="24" height="10" fill="${it.color}" stroke="#9ca3af"/>`);
    else out.push(`<line x1="${x}" x2="${x + 24}" y1="${y - 3}" y2="${y - 3}" stroke="${it.color}" stroke-width="2"${it.dash ? ` stroke-dasharray="${it.dash.join(' ')}"` : ''}/>`);
    out.push(`<text x="${x + 30}" y="${y + 1}" fill="#111827">${escapeXml(it.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
