/**
 * The phase-diagram map (the paper's Fig. 4a/b over the (ω0, Δz) plane at the current Γ11): a canvas
 * of coloured cells, filled in row by row as the worker posts them, with the current parameter point
 * marked; a click picks (ω0, Δz). Axes and colours as in `qbwave figures`' Fig. 4: Δz across, ω0 up. Data come from the worker (compute.ts `mapRow`, on the core's
 * steadyState); nothing here computes physics.
 */
import { cellIndex, mapAxes, REGIME_CODES } from './mapGrid.js';
import { effectiveCountTitle, REGIME_COLOURS } from '../../src/studies/regimeColours.js';
import { EFFECTIVE_DEFAULTS } from '../../src/spectrum/classification.js';
import type { MapReply } from './protocol.js';

export type MapQuantity = 'regime' | 'ergotropy' | 'energy';

export { REGIME_COLOURS };
/** Stops of the sequential colour scale for W(∞), E(∞) (low → high, viridis-like). */
const SCALE = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]] as const;

export function scaleColour(f: number): string {
  const x = Math.min(1, Math.max(0, f)) * (SCALE.length - 1);
  const i = Math.min(SCALE.length - 2, Math.floor(x));
  const t = x - i;
  const c = SCALE[i].map((v, k) => Math.round(v + (SCALE[i + 1][k] - v) * t));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** CSS gradient of the sequential scale, for the legend. */
export const SCALE_GRADIENT = `linear-gradient(to right, ${SCALE.map((c) => `rgb(${c.join(', ')})`).join(', ')})`;

const MARGIN = { left: 46, right: 10, top: 8, bottom: 36 };

export class MapView {
  private data: MapReply | null = null;
  private quantity: MapQuantity = 'regime';
  private point: { omega0: number; dz: number } | null = null;
  private readonly canvas: HTMLCanvasElement;
  private readonly ro: ResizeObserver;

  constructor(private readonly host: HTMLElement, private readonly legend: HTMLElement, onPick: (omega0: number, dz: number) => void) {
    this.canvas = document.createElement('canvas');
    this.canvas.setAttribute('role', 'img');
    this.canvas.dataset.testid = 'map-canvas';
    host.append(this.canvas);
    this.canvas.addEventListener('click', (ev) => {
      const p = this.pick(ev.offsetX, ev.offsetY);
      if (p) onPick(p.omega0, p.dz);
    });
    // Keyboard: with the map focused, the arrow keys step the current point to the neighbouring cell.
    this.canvas.tabIndex = 0;
    this.canvas.addEventListener('keydown', (ev) => {
      // [di (ω0, vertical), dk (Δz, horizontal)]
      const step = ({ ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowDown: [-1, 0], ArrowUp: [1, 0] } as Record<string, [number, number]>)[ev.key];
      if (!step) return;
      ev.preventDefault();
      const p = this.neighbour(step[0], step[1]);
      if (p) onPick(p.omega0, p.dz);
    });
    this.ro = new ResizeObserver(() => this.draw());
    this.ro.observe(host);
  }

  update(data: MapReply | null, quantity: MapQuantity, point: { omega0: number; dz: number }): void {
    this.data = data;
    this.quantity = quantity;
    this.point = point;
    this.draw();
  }

  /** Canvas pixel (CSS px) → the (ω0, Δz) of the cell under it, or null outside the map. */
  pick(x: number, y: number): { omega0: number; dz: number } | null {
    const d = this.data;
    if (!d) return null;
    const { w, h } = this.plotSize();
    const fx = (x - MARGIN.left) / w;
    const fy = 1 - (y - MARGIN.top) / h;
    if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) return null;
    const s = d.spec;
    // Δz (row k of the grid) across, ω0 (column i) up.
    const k = Math.min(s.ny - 1, Math.floor(fx * s.ny));
    const i = Math.min(s.nx - 1, Math.floor(fy * s.nx));
    const ax = mapAxes(s);
    return { omega0: Number(ax.omega0[i].toPrecision(6)), dz: Number(ax.dz[k].toPrecision(6)) };
  }

  /** The centre of the cell (di, dk) cells away from the current point's cell (clamped to the map), or null. */
  neighbour(di: number, dk: number): { omega0: number; dz: number } | null {
    const d = this.data;
    const p = this.point;
    if (!d || !p) return null;
    const s = d.spec;
    const here = cellIndex(s, p.omega0, p.dz);
    const i = Math.min(s.nx - 1, Math.max(0, here.i + di));
    const k = Math.min(s.ny - 1, Math.max(0, here.k + dk));
    const ax = mapAxes(s);
    return { omega0: Number(ax.omega0[i].toPrecision(6)), dz: Number(ax.dz[k].toPrecision(6)) };
  }

  private size(): { width: number; height: number } {
    const width = Math.max(240, Math.floor(this.host.clientWidth));
    return { width, height: Math.round(Math.min(360, Math.max(200, width * 0.6))) };
  }

  private plotSize(): { w: number; h: number } {
    const { width, height } = this.size();
    return { w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom };
  }

  private draw(): void {
    const { width, height } = this.size();
    const dpr = globalThis.devicePixelRatio || 1;
    const cv = this.canvas;
    if (cv.width !== Math.round(width * dpr) || cv.height !== Math.round(height * dpr)) {
      cv.width = Math.round(width * dpr);
      cv.height = Math.round(height * dpr);
      cv.style.width = `${width}px`;
      cv.style.height = `${height}px`;
    }
    const ctx = cv.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const { w, h } = this.plotSize();
    const d = this.data;
    ctx.fillStyle = '#f3f3f3';
    ctx.fillRect(MARGIN.left, MARGIN.top, w, h);
    if (!d) {
      this.describe('Phase diagram: not computed yet.');
      return;
    }
    const s = d.spec;
    const values = this.quantity === 'ergotropy' ? d.ergotropy : d.energy;
    let max = 0;
    if (this.quantity !== 'regime') for (let j = 0; j < d.rows * s.nx; j++) if (values[j] > max) max = values[j];
    // Cell edges on whole device pixels, so neighbouring cells meet without anti-aliased seams.
    const px = (v: number) => Math.round(v * dpr) / dpr;
    for (let k = 0; k < d.rows; k++) {
      // Grid row k is Δz_k, drawn as a column from the left; ω0_i runs up.
      const x0 = px(MARGIN.left + (k * w) / s.ny);
      const x1 = px(MARGIN.left + ((k + 1) * w) / s.ny);
      for (let i = 0; i < s.nx; i++) {
        const j = k * s.nx + i;
        const y0 = px(MARGIN.top + h - ((i + 1) * h) / s.nx);
        const y1 = px(MARGIN.top + h - (i * h) / s.nx);
        ctx.fillStyle = this.quantity === 'regime' ? REGIME_COLOURS[d.regime[j]] : scaleColour(max > 0 ? values[j] / max : 0);
        ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
      }
    }
    this.axes(ctx, w, h);
    const p = this.point;
    let here = '';
    if (p && p.omega0 >= s.omega0Min && p.omega0 <= s.omega0Max && p.dz >= s.dzMin && p.dz <= s.dzMax) {
      const x = MARGIN.left + ((p.dz - s.dzMin) / (s.dzMax - s.dzMin)) * w;
      const y = MARGIN.top + h - ((p.omega0 - s.omega0Min) / (s.omega0Max - s.omega0Min)) * h;
      ctx.strokeStyle = '#d62728';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(x, y, 6, 0, 2 * Math.PI);
      ctx.moveTo(x - 11, y);
      ctx.lineTo(x - 3, y);
      ctx.moveTo(x + 3, y);
      ctx.lineTo(x + 11, y);
      ctx.stroke();
      const { i, k } = cellIndex(s, p.omega0, p.dz);
      if (k < d.rows) here = ` The cell of the current point (red) is in regime ${REGIME_CODES[d.regime[k * s.nx + i]]}.`;
    } else if (p) {
      here = ' The current point is outside the map.';
    }
    this.legend.replaceChildren(...(this.quantity === 'regime' ? regimeLegend(d.threshold) : scaleLegend(this.quantity, max)));
    const what = this.quantity === 'regime' ? 'number of bound states (regime)' : this.quantity === 'ergotropy' ? 'maximal steady-state ergotropy W(∞)' : 'maximal steady-state energy E(∞)';
    this.describe(`Phase diagram over ω0 from ${s.omega0Min} to ${s.omega0Max} ω11 and Δz from ${s.dzMin} to ${s.dzMax} λ11 at Γ11 = ${d.gamma11} ω11, colour: ${what}; ${d.rows} of ${s.ny} rows computed.${here} Arrow keys move the current point by one cell.`);
  }

  private axes(ctx: CanvasRenderingContext2D, w: number, h: number): void {
    const s = this.data!.spec;
    ctx.strokeStyle = '#555';
    ctx.fillStyle = '#222';
    ctx.lineWidth = 1;
    ctx.strokeRect(MARGIN.left + 0.5, MARGIN.top + 0.5, w, h);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of ticks(s.dzMin, s.dzMax)) {
      const x = MARGIN.left + ((v - s.dzMin) / (s.dzMax - s.dzMin)) * w;
      ctx.beginPath();
      ctx.moveTo(x, MARGIN.top + h);
      ctx.lineTo(x, MARGIN.top + h + 4);
      ctx.stroke();
      ctx.fillText(String(v), x, MARGIN.top + h + 6);
    }
    ctx.fillText('Δz (λ11)', MARGIN.left + w / 2, MARGIN.top + h + 20);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of ticks(s.omega0Min, s.omega0Max)) {
      const y = MARGIN.top + h - ((v - s.omega0Min) / (s.omega0Max - s.omega0Min)) * h;
      ctx.beginPath();
      ctx.moveTo(MARGIN.left - 4, y);
      ctx.lineTo(MARGIN.left, y);
      ctx.stroke();
      ctx.fillText(String(v), MARGIN.left - 6, y);
    }
    ctx.save();
    ctx.translate(12, MARGIN.top + h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText('ω0 (ω11)', 0, 0);
    ctx.restore();
  }

  private describe(text: string): void {
    this.canvas.setAttribute('aria-label', text);
  }

  /** The canvas as a PNG. */
  png(): Promise<Blob> {
    return new Promise((res, rej) => this.canvas.toBlob((b) => (b ? res(b) : rej(new Error('PNG encoding failed'))), 'image/png'));
  }
}

/** Round tick values (step 0.5 or 1) inside [min, max]. */
function ticks(min: number, max: number): number[] {
  const step = max - min > 4 ? 1 : 0.5;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) out.push(Number(v.toFixed(2)));
  return out;
}

function regimeLegend(threshold: number): HTMLElement[] {
  const title = document.createElement('span');
  title.className = 'legend-item';
  title.textContent = `${effectiveCountTitle(threshold, EFFECTIVE_DEFAULTS.observationTime)}:`;
  return [title, ...REGIME_CODES.map((r, i) => {
    const item = document.createElement('span');
    item.className = 'legend-item';
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = REGIME_COLOURS[i];
    item.append(sw, document.createTextNode(r === '2D' ? '2D (degenerate)' : `${r} bound state${r === '1' ? '' : 's'}`));
    return item;
  })];
}

function scaleLegend(q: MapQuantity, max: number): HTMLElement[] {
  const item = document.createElement('span');
  item.className = 'legend-item';
  const bar = document.createElement('span');
  bar.className = 'scale-bar';
  bar.style.background = SCALE_GRADIENT;
  item.append(document.createTextNode(`${q === 'ergotropy' ? 'W(∞)' : 'E(∞)'} max: 0 `), bar, document.createTextNode(` ${Number(max.toPrecision(4))} ω11`));
  return [item];
}

/** The map as CSV: one row per cell, with a header naming the parameters. */
export function mapToCsv(d: MapReply, comments: string[]): string {
  const { omega0, dz } = mapAxes(d.spec);
  const lines = [...comments.map((c) => `# ${c}`), 'omega0_omega11,dz_lambda11,regime,ergotropy_max_omega11,energy_max_omega11'];
  for (let k = 0; k < d.rows; k++) {
    for (let i = 0; i < d.spec.nx; i++) {
      const j = k * d.spec.nx + i;
      lines.push(`${omega0[i]},${dz[k]},${REGIME_CODES[d.regime[j]]},${d.ergotropy[j]},${d.energy[j]}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
