/**
 * The waveguide drawn to scale along z (λ11) as an SVG strip, with the emitters on it: chargers as
 * squares, batteries as circles (Okabe–Ito colours by emitter, so role is never told by colour
 * alone), each labelled C1, B2, …; the excited emitter has a double ring. A marker is dragged with
 * the pointer or moved with the arrow keys (it is a focusable slider); `onMove` reports the new z.
 *
 * The strip is a side view of a square guide: its height is the guide width a = λ11/√2 on the same
 * scale as z, as long as that fits (otherwise it is drawn shorter and the legend says so).
 */
import { emitterColor, ROLE_STYLE } from './sceneFigures.js';
import { emitterLabel, type EditorEmitter } from './sceneState.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** What the strip's horizontal axis is: z along a guide or a table's band, or the cavity array's site. */
export interface StripAxis {
  key: 'z' | 'site';
  /** Axis title with its unit. */
  label: string;
  /** Arrow-key step (Shift: ×10); a site axis moves by whole sites. */
  step: number;
  /** 'guide': the waveguide drawn with its width; 'lattice': cavities at the integers; 'line': a plain band. */
  kind: 'guide' | 'lattice' | 'line';
}

export const GUIDE_AXIS: StripAxis = { key: 'z', label: 'z (λ11)', step: 0.01, kind: 'guide' };

export interface StripOptions {
  onMove: (index: number, z: number, final: boolean) => void;
  onSelect?: (index: number) => void;
}

/** z values are rounded to this (λ11) while dragging. */
export const DRAG_RESOLUTION = 0.001;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

export class Strip {
  private readonly root: SVGSVGElement;
  private emitters: EditorEmitter[] = [];
  private axis: StripAxis = GUIDE_AXIS;
  private excited: number | null = null;
  /** Visible z range; kept fixed while a marker is dragged. */
  private view: [number, number] = [-0.3, 0.4];
  private dragging: number | null = null;
  private readonly W = 1000;
  private H = 150;
  /** Size factor of text and markers (1 on a wide screen, up to 2.6 on a phone). */
  private k = 1;

  constructor(private readonly host: HTMLElement, private readonly opt: StripOptions) {
    this.root = svg('svg', { role: 'group', 'aria-label': 'The waveguide along z with the emitters; drag a marker or focus it and use the arrow keys to move it', 'data-testid': 'scene-strip-svg' });
    this.root.classList.add('strip-svg');
    host.replaceChildren(this.root);
  }

  /** Draws the emitters; the z range follows them unless a drag is in progress. */
  update(emitters: readonly EditorEmitter[], excited: number | null, axis: StripAxis = GUIDE_AXIS): void {
    this.emitters = emitters.map((e) => ({ ...e }));
    this.excited = excited;
    const axisChanged = axis.key !== this.axis.key || axis.kind !== this.axis.kind;
    this.axis = axis;
    if (this.dragging === null || axisChanged) this.view = this.fit();
    this.draw();
  }

  private fit(): [number, number] {
    const zs = this.emitters.map((e) => e[this.axis.key]).filter(Number.isFinite);
    const lo = zs.length ? Math.min(...zs) : 0;
    const hi = zs.length ? Math.max(...zs) : 0;
    if (this.axis.key === 'site') {
      const pad = Math.max(2, Math.round(0.25 * (hi - lo)));
      return [lo - pad, hi + pad];
    }
    const span = Math.max(hi - lo, 0.2);
    const pad = Math.max(0.25 * span, 0.15);
    return [lo - pad, hi + pad];
  }

  private x(z: number): number {
    const [a, b] = this.view;
    return 40 + ((z - a) / (b - a)) * (this.W - 80);
  }

  private z(x: number): number {
    const [a, b] = this.view;
    return a + ((x - 40) / (this.W - 80)) * (b - a);
  }

  private draw(): void {
    const [a, b] = this.view;
    // Text and markers keep a readable size on a narrow screen (the view box is 1000 units wide).
    const k = Math.min(2.6, Math.max(1, 1000 / Math.max(1, this.host.clientWidth || 1000)));
    this.k = k;
    const pxPerLambda = (this.W - 80) / (b - a);
    // Guide width a = λ11/√2 (square guide) at the z scale, kept between 50k and 110k units.
    const guideTrue = pxPerLambda / Math.SQRT2;
    const guideH = this.axis.kind === 'guide' ? Math.min(110 * k, Math.max(50 * k, guideTrue)) : 70 * k;
    const toScale = this.axis.kind === 'guide' && Math.abs(guideH - guideTrue) < 0.5;
    const top = 34 * k;
    this.H = top + guideH + 46 * k;
    const mid = top + guideH / 2;
    this.root.setAttribute('viewBox', `0 0 ${this.W} ${this.H}`);
    // Width 100 %, height from the view box's aspect (else Chromium gives an inline SVG 150 px and letterboxes it).
    this.root.style.aspectRatio = `${this.W} / ${this.H}`;
    const parts: SVGElement[] = [];
    if (this.axis.kind === 'guide') {
      parts.push(svg('rect', { x: 0, y: top, width: this.W, height: guideH, fill: '#eef2f7', stroke: '#64748b', 'stroke-width': 1.5 }));
      parts.push(svg('line', { x1: 0, x2: this.W, y1: mid, y2: mid, stroke: '#94a3b8', 'stroke-dasharray': '6 5' }));
    } else {
      parts.push(svg('line', { x1: 0, x2: this.W, y1: mid, y2: mid, stroke: '#64748b', 'stroke-width': 2 * k }));
      if (this.axis.kind === 'lattice' && b - a <= 120) {
        // One cavity per site, coupled to its neighbours by the hopping (the line).
        for (let n = Math.ceil(a); n <= b; n++) {
          const x = this.x(n);
          parts.push(svg('rect', { x: x - 5 * k, y: mid - 5 * k, width: 10 * k, height: 10 * k, fill: '#eef2f7', stroke: '#64748b', 'stroke-width': k }));
        }
      }
    }
    // Ticks along z.
    const axisY = top + guideH + 4;
    const step = Math.max(this.axis.key === 'site' ? 1 : 0, niceStep((b - a) / (8 / k)));
    for (let q = Math.ceil(a / step); q * step <= b; q++) {
      const z = Number((q * step).toPrecision(10));
      const x = this.x(z);
      parts.push(svg('line', { x1: x, x2: x, y1: axisY, y2: axisY + 6 * k, stroke: '#374151' }));
      const t = svg('text', { x, y: axisY + 20 * k, 'text-anchor': 'middle', 'font-size': 13 * k, fill: '#374151' });
      t.textContent = String(z);
      parts.push(t);
    }
    const unit = svg('text', { x: this.W - 4, y: axisY + 38 * k, 'text-anchor': 'end', 'font-size': 13 * k, fill: '#374151' });
    unit.textContent = `${this.axis.label}${this.axis.kind !== 'guide' ? '' : toScale ? '; guide width a = λ11/√2 to scale' : '; guide width not to scale'}`;
    parts.push(unit);
    // Markers.
    this.emitters.forEach((e, j) => parts.push(this.marker(e, j, mid)));
    this.root.replaceChildren(...parts);
    this.root.dataset.view = `${a},${b}`;
  }

  private marker(e: EditorEmitter, j: number, mid: number): SVGGElement {
    const pos = e[this.axis.key];
    const x = this.x(pos);
    const color = emitterColor(j);
    const label = emitterLabel(e, j);
    const g = svg('g', {
      class: 'strip-marker', tabindex: 0, role: 'slider', 'data-testid': `scene-marker-${j}`, 'data-index': j,
      'aria-label': `${this.axis.key === 'site' ? 'site' : 'position z'} of emitter ${j + 1} (${label}, ${ROLE_STYLE[e.role].word})`,
      'aria-valuenow': pos, 'aria-valuetext': this.axis.key === 'site' ? `site ${pos}` : `${Number(pos.toPrecision(8))} ${this.axis.label.replace(/^z \((.*)\)$/, '$1')}`, 'aria-orientation': 'horizontal',
      transform: `translate(${x.toFixed(2)} ${mid})`,
    });
    const k = this.k;
    const r = 11 * k;
    if (this.excited === j) g.append(svg('circle', { r: r + 7 * k, fill: 'none', stroke: '#111827', 'stroke-width': 2 * k, 'stroke-dasharray': `${3 * k} ${2 * k}` }));
    const shape = e.role === 'charger'
      ? svg('rect', { x: -r, y: -r, width: 2 * r, height: 2 * r, fill: color, stroke: '#111827', 'stroke-width': 2 * k })
      : svg('circle', { r, fill: color, stroke: '#111827', 'stroke-width': 2 * k });
    g.append(shape);
    const text = svg('text', { y: -r - 10 * k, 'text-anchor': 'middle', 'font-size': 14 * k, 'font-weight': 600, fill: '#111827' });
    text.textContent = label;
    g.append(text);
    const title = svg('title');
    title.textContent = `${label}: ${ROLE_STYLE[e.role].word} at ${this.axis.key} = ${pos}${this.excited === j ? ', excited at t = 0' : ''}`;
    g.append(title);
    g.addEventListener('pointerdown', (ev) => this.startDrag(ev, j, g));
    g.addEventListener('keydown', (ev) => {
      if (ev.key !== 'ArrowLeft' && ev.key !== 'ArrowRight') return;
      ev.preventDefault();
      const step = this.axis.step * (ev.shiftKey ? 10 : 1) * (ev.key === 'ArrowRight' ? 1 : -1);
      const z = Number((this.emitters[j][this.axis.key] + step).toPrecision(12));
      this.opt.onMove(j, z, true);
      // The strip was redrawn: focus the new marker of the same emitter.
      (this.root.querySelector(`[data-index="${j}"]`) as SVGGElement | null)?.focus();
    });
    return g;
  }

  private startDrag(ev: PointerEvent, j: number, g: SVGGElement): void {
    ev.preventDefault();
    this.dragging = j;
    this.opt.onSelect?.(j);
    const svgEl = this.root;
    const toZ = (clientX: number) => {
      // Client → view-box coordinates through the SVG's own transform (robust to letterboxing).
      const ctm = svgEl.getScreenCTM();
      const x = ctm ? new DOMPoint(clientX, 0).matrixTransform(ctm.inverse()).x : ((clientX - svgEl.getBoundingClientRect().left) / svgEl.getBoundingClientRect().width) * this.W;
      const res = this.axis.key === 'site' ? 1 : DRAG_RESOLUTION;
      return Math.round(this.z(x) / res) * res;
    };
    try { g.setPointerCapture(ev.pointerId); } catch { /* synthetic events have no capture */ }
    const move = (e: PointerEvent) => {
      const z = Number(toZ(e.clientX).toPrecision(12));
      if (z !== this.emitters[j][this.axis.key]) this.opt.onMove(j, z, false);
    };
    const up = (e: PointerEvent) => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      this.dragging = null;
      this.opt.onMove(j, Number(toZ(e.clientX).toPrecision(12)), true);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }
}

/** 1, 2 or 5 × 10^k at or above `raw`. */
function niceStep(raw: number): number {
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
}
