/**
 * Live plots: a Figure (figures.ts) drawn by uPlot on a canvas, with bands, vertical lines and
 * markers drawn by hooks. Re-created only when the number of series changes; otherwise setData.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Figure } from './figures.js';
import { tickLabels } from './ticks.js';

function toColumns(fig: Figure): uPlot.AlignedData {
  const x = Array.from(fig.x);
  const ys = fig.series.map((s) => {
    const out: (number | null)[] = new Array(x.length);
    for (let i = 0; i < x.length; i++) { const v = i < s.values.length ? s.values[i] : Number.NaN; out[i] = Number.isFinite(v) ? v : null; }
    return out;
  });
  return [x, ...ys] as uPlot.AlignedData;
}

function autoRange(min: number | null, max: number | null): [number, number] {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max === min) return [min - 0.5, max + 0.5];
  const pad = 0.05 * (max - min);
  return [min - pad, max + pad];
}

export class PlotView {
  private u: uPlot | null = null;
  private fig: Figure | null = null;
  private shape = '';
  private readonly ro: ResizeObserver;

  constructor(private readonly host: HTMLElement) {
    this.ro = new ResizeObserver(() => this.resize());
    this.ro.observe(host);
  }

  private size(): { width: number; height: number } {
    const width = Math.max(240, Math.floor(this.host.clientWidth));
    const height = Math.round(Math.min(340, Math.max(200, width * 0.55)));
    return { width, height };
  }

  private resize(): void {
    if (!this.u) return;
    const s = this.size();
    if (s.width !== this.u.width || s.height !== this.u.height) this.u.setSize(s);
  }

  /** Draws `fig`; returns after uPlot has committed the new data. */
  update(fig: Figure): void {
    this.fig = fig;
    const shape = JSON.stringify([fig.id, fig.xLabel, fig.series.map((s) => [s.label, s.color, s.dash])]);
    if (!this.u || shape !== this.shape) {
      this.u?.destroy();
      this.shape = shape;
      this.u = new uPlot(this.options(fig), toColumns(fig), this.host);
      const root = this.u.root;
      root.setAttribute('role', 'img');
    } else {
      this.u.setData(toColumns(fig), true);
    }
    this.u.root.setAttribute('aria-label', fig.summary);
  }

  /** The canvas (for tests and debugging). */
  get canvas(): HTMLCanvasElement | null {
    return this.u?.ctx.canvas ?? null;
  }

  private options(fig: Figure): uPlot.Options {
    const view = this;
    const axisFont = '12px system-ui, sans-serif';
    const labelFont = '13px system-ui, sans-serif';
    return {
      ...this.size(),
      pxAlign: false,
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      scales: {
        x: { time: false, range: (_u, min, max) => view.fig?.xRange ?? autoRange(min, max) },
        y: { range: (_u, min, max) => view.fig?.yRange ?? autoRange(min, max) },
      },
      axes: [
        { label: fig.xLabel, font: axisFont, labelFont, stroke: '#374151', grid: { stroke: '#e5e7eb', width: 1 }, ticks: { stroke: '#9ca3af', width: 1 }, values: (_u, splits) => tickLabels(splits) },
        { label: fig.yLabel, font: axisFont, labelFont, stroke: '#374151', size: 60, grid: { stroke: '#e5e7eb', width: 1 }, ticks: { stroke: '#9ca3af', width: 1 }, values: (_u, splits) => tickLabels(splits) },
      ],
      series: [
        { label: fig.xLabel, value: (_u, v) => (v == null ? '—' : Number(v.toPrecision(5)).toString()) },
        ...fig.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 1.5,
          dash: s.dash,
          spanGaps: false,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : Number(v.toPrecision(5)).toString()),
        })),
      ],
      hooks: {
        drawClear: [(u) => view.drawBands(u)],
        draw: [(u) => view.drawOverlays(u)],
      },
    };
  }

  private drawBands(u: uPlot): void {
    const fig = this.fig;
    if (!fig) return;
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    for (const b of fig.bands) {
      const yTop = Number.isFinite(b.y1) ? u.valToPos(b.y1, 'y', true) : top;
      const yBot = u.valToPos(b.y0, 'y', true);
      ctx.fillStyle = b.fill;
      ctx.fillRect(left, Math.min(yTop, yBot), width, Math.max(Math.abs(yBot - yTop), 1));
      if (b.stroke) {
        ctx.strokeStyle = b.stroke;
        ctx.lineWidth = 1;
        for (const v of [b.y0, b.y1]) {
          if (!Number.isFinite(v)) continue;
          const y = u.valToPos(v, 'y', true);
          ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(left + width, y); ctx.stroke();
        }
      }
    }
    ctx.restore();
  }

  private drawOverlays(u: uPlot): void {
    const fig = this.fig;
    if (!fig) return;
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const dpr = devicePixelRatio || 1;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    for (const v of fig.vlines) {
      const x = u.valToPos(v.x, 'x', true);
      ctx.strokeStyle = v.color;
      ctx.lineWidth = dpr;
      ctx.setLineDash((v.dash ?? []).map((d) => d * dpr));
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke();
    }
    ctx.setLineDash([]);
    for (const m of fig.markers) {
      const x = u.valToPos(m.x, 'x', true);
      const y = u.valToPos(m.y, 'y', true);
      ctx.fillStyle = m.color;
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 1.5 * dpr;
      ctx.beginPath(); ctx.arc(x, y, 5 * dpr, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    }
    ctx.restore();
  }

  destroy(): void {
    this.ro.disconnect();
    this.u?.destroy();
  }
}
