import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { figurePlans } from '../../cli/commands/figures.js';
import { figureSpec, glyphsWithoutMetrics, inkBox, renderPng, renderSvg, textWidth, TIGHT_MARGIN, type Box } from '../../cli/sweep/plot.js';
import { runJobs } from '../../src/studies/jobs.js';
import { decodePng } from '../e2e/helpers.js';

/**
 * Layout of the figures `qbwave figures` draws, checked on the rendered pixels (resvg, the renderer of
 * the PNGs): tight canvases, nothing drawn over any text, the paper's notation in every text, and a
 * snapshot of each SVG's structure (test/cli/__snapshots__/figN.svg, numbers rounded, images hashed)
 * so that a changed label, axis or legend shows up as a diff. Figures from the --quick grids (same code).
 */

const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
const ROOT = join(import.meta.dirname, '../..');
const IDS = ['2', '3', '4'] as const;
/** PNG scale of `qbwave figures` (renderPng's default). */
const SCALE = 2;
/** Largest blank margin allowed on any side of a PNG, in PNG px. */
const MAX_MARGIN = 12;

/** Optional folder with fig2-4.svg/png (e.g. the output of `qbwave figures`) to check as well. */
const OTHER_DIR = process.env.QBWAVE_FIGURES_DIR;

const HAS_DEJAVU = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/dejavu/DejaVuSans.ttf', '/usr/share/fonts/TTF/DejaVuSans.ttf'].some((p) => existsSync(p));

interface Rendered { svg: string; raw: string; png: Uint8Array }
const figures = new Map<string, Rendered>();

beforeAll(async () => {
  for (const id of IDS) {
    const [plan] = figurePlans([id], { quick: true });
    const fd = plan!.assemble(runJobs(plan!.jobs)!);
    const spec = figureSpec(fd);
    const svg = await renderSvg(spec);
    figures.set(id, { svg, raw: await renderSvg(spec, { tight: false }), png: renderPng(svg) });
  }
}, 120_000);

const fig = (id: string) => figures.get(id)!;

function render(svg: string, scale: number): { pixels: Uint8Array; width: number; height: number } {
  const img = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: scale } }).render();
  return { pixels: img.pixels, width: img.width, height: img.height };
}

/** Blank margins (PNG px) of a decoded RGB(A) PNG with a white background: left, top, right, bottom. */
function margins(png: Uint8Array): { left: number; top: number; right: number; bottom: number; width: number; height: number } {
  const img = decodePng(Buffer.from(png));
  const rgba = new Uint8Array(img.width * img.height * 4);
  for (let i = 0; i < img.width * img.height; i++) {
    for (let c = 0; c < 3; c++) rgba[4 * i + c] = img.data[img.channels * i + (img.channels >= 3 ? c : 0)]!;
    rgba[4 * i + 3] = 255;
  }
  const b = inkBox(rgba, img.width, img.height)!;
  return { left: b.x0, top: b.y0, right: img.width - 1 - b.x1, bottom: img.height - 1 - b.y1, width: img.width, height: img.height };
}

/** Visible text of every <text> element, XML entities decoded. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
}

/** Distinct opaque colours for text ids: 5 levels a channel, 64 apart (a premultiplied edge pixel of alpha ≥ 16 still decodes to its id). */
const LEVELS = [0, 64, 128, 191, 255];
const idColour = (k: number) => [LEVELS[k % 5]!, LEVELS[Math.floor(k / 5) % 5]!, LEVELS[Math.floor(k / 25) % 5]!] as const;

/**
 * Ink boxes (px at `scale`) of every text element: the SVG with all but its text removed, each text
 * filled with its own colour, rendered on a transparent background; each pixel is assigned to the
 * nearest id colour after undoing resvg's premultiplied alpha.
 */
function textBoxes(svg: string, scale: number): Array<{ text: string; box: Box }> {
  const all = texts(svg);
  if (all.length > 125) throw new Error('more texts than id colours');
  let k = 0;
  const only = svg
    .replace(/<defs>.*?<\/defs>/g, '')
    .replace(/<(path|line|image|rect)\b[^>]*\/>/g, '')
    .replace(/<text([^>]*)>/g, (_, attrs: string) => {
      const [r, g, b] = idColour(k++);
      return `<text${attrs.replace(/ (fill|opacity|fill-opacity)="[^"]*"/g, '')} fill="rgb(${r},${g},${b})">`;
    });
  const img = render(only, scale);
  const boxes: Array<Box | null> = all.map(() => null);
  for (let i = 0; i < img.width * img.height; i++) {
    const a = img.pixels[4 * i + 3]!;
    if (a < 16) continue;
    const c = [0, 1, 2].map((j) => (img.pixels[4 * i + j]! * 255) / a);
    const id = [0, 1, 2].map((j) => LEVELS.reduce((best, v, n) => (Math.abs(v - c[j]!) < Math.abs(LEVELS[best]! - c[j]!) ? n : best), 0));
    const n = id[0]! + 5 * id[1]! + 25 * id[2]!;
    const x = i % img.width;
    const y = Math.floor(i / img.width);
    const b = boxes[n];
    if (!b) boxes[n] = { x0: x, y0: y, x1: x, y1: y };
    else { b.x0 = Math.min(b.x0, x); b.x1 = Math.max(b.x1, x); b.y0 = Math.min(b.y0, y); b.y1 = Math.max(b.y1, y); }
  }
  return all.map((text, n) => ({ text, box: boxes[n]! })).filter((t) => t.text.trim() !== '');
}

/**
 * The SVG with only what is drawn as lines and marks: text, filled areas (rect marks: the continuum
 * and 2D bands, the colour-bar), the heat-map images and the white background removed; curves, rules,
 * points, axis ticks and domains, legend symbols and plot frames kept.
 */
function strokesOnly(svg: string): string {
  return svg
    .replace(/<text[^>]*>[^<]*<\/text>/g, '')
    .replace(/<rect [^>]*fill="white"\/>/, '')
    .replace(/<g class="mark-(rect|image)[^"]*"[^>]*>.*?<\/g>/g, '');
}

/** Normalised SVG for a snapshot: numbers to 2 decimals, each embedded PNG as its size and hash, one element a line. */
function normaliseSvg(svg: string): string {
  return svg
    .replace(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g, (_, b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      const img = decodePng(bytes);
      return `data:image/png;${img.width}x${img.height};sha256-of-pixels=${createHash('sha256').update(img.data).digest('hex').slice(0, 16)}`;
    })
    .replace(/-?\d+\.\d+(?:e[-+]?\d+)?/g, (m) => {
      const v = Number(Number(m).toFixed(2));
      return String(Object.is(v, -0) ? 0 : v);
    })
    .replace(/></g, '>\n<');
}

/** Problems with a PNG's blank margins: a side wider than MAX_MARGIN px, or narrower than `min` (content cut off). */
function marginProblems(png: Uint8Array, name: string, min: number): string[] {
  const m = margins(png);
  return (['left', 'top', 'right', 'bottom'] as const).flatMap((side) =>
    m[side] > MAX_MARGIN ? [`${name}: ${side} margin ${m[side]} px > ${MAX_MARGIN} (${JSON.stringify(m)})`]
    : m[side] < min ? [`${name}: ${side} margin ${m[side]} px < ${min}: content cut off`] : []);
}

/** Line or mark pixels inside a text's ink box (grown by 1 px), and pairs of texts whose boxes meet. */
function textProblems(svg: string, name: string): string[] {
  const boxes = textBoxes(svg, SCALE);
  const problems: string[] = [];
  if (boxes.length < 30) problems.push(`${name}: only ${boxes.length} texts found`);
  for (const t of boxes) if (!t.box) problems.push(`${name}: "${t.text}" not drawn`);
  const ink = render(strokesOnly(svg), SCALE);
  for (const { text, box } of boxes) {
    if (!box) continue;
    let hits = 0;
    for (let y = Math.max(0, box.y0 - 1); y <= Math.min(ink.height - 1, box.y1 + 1); y++) {
      for (let x = Math.max(0, box.x0 - 1); x <= Math.min(ink.width - 1, box.x1 + 1); x++) if (ink.pixels[4 * (y * ink.width + x) + 3]! > 0) hits++;
    }
    if (hits > 0) problems.push(`${name}: "${text}" (box ${JSON.stringify(box)}) has ${hits} line/mark pixels over it`);
  }
  for (let a = 0; a < boxes.length; a++) {
    for (let b = a + 1; b < boxes.length; b++) {
      const p = boxes[a]!.box, q = boxes[b]!.box;
      if (p && q && p.x0 <= q.x1 && q.x0 <= p.x1 && p.y0 <= q.y1 && q.y0 <= p.y1) problems.push(`${name}: "${boxes[a]!.text}" and "${boxes[b]!.text}" overlap`);
    }
  }
  return problems;
}

describe('figure layout (qbwave figures, --quick grids)', () => {
  it.skipIf(!HAS_DEJAVU)('text widths: the DejaVu Sans table gives the advance resvg draws, to 1 % + 0.5 px', () => {
    // advance of s = ink width of "|s|" − ink width of "||" (the bars' side bearings cancel), 4 px a unit;
    // all in one SVG, a row each, so that resvg loads the system fonts once.
    const ROW = 40;
    const rows = (samples: Array<[string, number, boolean]>) => samples.flatMap(([s, size, bold]) => [`|${s}|`, '||'].map((t) => ({ t, size, bold })));
    const inkWidths = (samples: Array<[string, number, boolean]>) => {
      const r = rows(samples);
      const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const body = r.map(({ t, size, bold }, k) => `<text x="10" y="${ROW * k + 28}" font-family="${FONT}" font-size="${size}px"${bold ? ' font-weight="bold"' : ''}>${esc(t)}</text>`).join('');
      const img = render(`<svg xmlns="http://www.w3.org/2000/svg" width="700" height="${ROW * r.length}">${body}</svg>`, 4);
      return r.map((_, k) => {
        const band = img.pixels.subarray(4 * img.width * 4 * ROW * k, 4 * img.width * 4 * ROW * (k + 1));
        const rgba = new Uint8Array(band.length);
        for (let i = 0; i < band.length; i += 4) { const v = band[i + 3]! > 0 ? 0 : 255; rgba[i] = rgba[i + 1] = rgba[i + 2] = v; }
        const b = inkBox(rgba, img.width, 4 * ROW)!;
        return (b.x1 - b.x0 + 1) / 4;
      });
    };
    const samples: Array<[string, number, boolean]> = [
      ['ω₀ = 0.5 ω₁₁: two bound states', 11, false],
      ['Z₊ < 0.014: ω₀ = 2.788', 10, false],
      ['effective count M (Z ≥ 0.014; 2D: beat period > 2000/ω₁₁)', 13, false],
      ['Fig. 3: dependence on the charger–battery distance', 13, true],
      ['bound-state energy E (ω₁₁)', 12, true],
      ['long-time E(t), t ∈ [300, 500]/ω₁₁ (exact, tol 0.0001)', 13, true],
      ['E(∞) extremes, Γ₁₁ = 0.5, Δz (λ₁₁) − E₋', 11, false],
    ];
    const widths = inkWidths(samples);
    for (const [k, [s, size, bold]] of samples.entries()) {
      const measured = widths[2 * k]! - widths[2 * k + 1]!;
      const table = textWidth(s, size, bold);
      expect(Math.abs(table - measured), `${s} at ${size} px${bold ? ' bold' : ''}: table ${table.toFixed(2)}, resvg ${measured.toFixed(2)}`).toBeLessThanOrEqual(0.01 * measured + 0.5);
    }
  });

  it(`tight canvases: every PNG's content reaches within ${MAX_MARGIN} px (2 × ${TIGHT_MARGIN} + rounding) of each side`, () => {
    expect(IDS.flatMap((id) => marginProblems(fig(id).png, `fig${id}`, SCALE * TIGHT_MARGIN - 2)).join('\n')).toBe('');
  });

  it(`the committed docs/figures/fig2-4.png are as tight (≤ ${MAX_MARGIN} px a side)`, () => {
    expect(IDS.flatMap((id) => marginProblems(readFileSync(join(ROOT, 'docs/figures', `fig${id}.png`)), `docs/figures/fig${id}.png`, 1)).join('\n')).toBe('');
  });

  it('nothing is drawn over text: inside each text\'s ink box (+1 px) no curve, rule, point, tick or frame pixel, and no two texts overlap', () => {
    expect(IDS.flatMap((id) => textProblems(fig(id).svg, `fig${id}`)).join('\n')).toBe('');
  });

  it.skipIf(!OTHER_DIR)(`the same on the figures in $QBWAVE_FIGURES_DIR (${OTHER_DIR ?? 'not set'}), e.g. the full-size ones of \`qbwave figures\``, () => {
    const problems = IDS.flatMap((id) => [
      ...marginProblems(readFileSync(join(OTHER_DIR!, `fig${id}.png`)), `${OTHER_DIR}/fig${id}.png`, 1),
      ...textProblems(readFileSync(join(OTHER_DIR!, `fig${id}.svg`), 'utf8'), `${OTHER_DIR}/fig${id}.svg`),
    ]);
    expect(problems.join('\n')).toBe('');
  });

  it('the check finds a collision: a rule drawn through a label is caught', () => {
    const { svg } = fig('3');
    const boxes = textBoxes(svg, SCALE);
    const target = boxes.find((t) => t.text.startsWith('E₋ appears'))!;
    // a vertical line through the middle of that label, in the SVG's own coordinates
    const view = /viewBox="([-\d.]+) ([-\d.]+)/.exec(svg)!;
    const cx = Number(view[1]) + (target.box.x0 + target.box.x1) / 2 / SCALE;
    const cy0 = Number(view[2]) + target.box.y0 / SCALE - 5;
    const broken = svg.replace('</svg>', `<line x1="${cx}" y1="${cy0}" x2="${cx}" y2="${cy0 + 30}" stroke="#000"/></svg>`);
    const ink = render(strokesOnly(broken), SCALE);
    let hits = 0;
    for (let y = target.box.y0; y <= target.box.y1; y++) for (let x = target.box.x0; x <= target.box.x1; x++) if (ink.pixels[4 * (y * ink.width + x) + 3]! > 0) hits++;
    expect(hits).toBeGreaterThan(0);
  });

  it('the paper\'s notation in every text: ω₀, ω₁₁, Γ₁₁, λ₁₁, Δz, E±, Z± — no omega, dz, gamma, lambda, inf or plain-digit indices', () => {
    for (const id of IDS) {
      const all = texts(fig(id).svg);
      for (const t of all) {
        expect(t, `fig${id}`).not.toMatch(/omega|gamma|lambda|\bdz\b|\binf\b|\bpi\b|[ωΓλ]\d|(^|[\s(])[EZ][+\-−](?=[\s),:;]|$)/i);
        expect(glyphsWithoutMetrics(t), `fig${id}: "${t}" has characters the width table lacks`).toBe('');
      }
      const joined = all.join('\n');
      expect(joined).toContain('Γ₁₁ = 0.5 ω₁₁');
      expect(joined).toMatch(/Δz (\(λ₁₁\)|= 0\.1 λ₁₁)/);
      if (id !== '3') expect(joined).toContain('ω₀ (ω₁₁)');
      if (id !== '4') expect(joined).toMatch(/E₊/);
    }
    expect(texts(fig('2').svg)).toContain('t (1/ω₁₁)');
  });

  for (const id of IDS) {
    it(`snapshot of fig${id}.svg (structure, texts, positions to 0.01 px; image pixels hashed): test/cli/__snapshots__/fig${id}.svg`, async () => {
      await expect(normaliseSvg(fig(id).raw)).toMatchFileSnapshot(`./__snapshots__/fig${id}.svg`);
    });
  }

  it('the snapshot form keeps what a reader sees: a changed legend label, axis title or tick changes it', () => {
    const base = normaliseSvg(fig('2').raw);
    expect(normaliseSvg(fig('2').raw.replace('exact (Eq. 3)', 'exact (Eq. 4)'))).not.toBe(base);
    expect(normaliseSvg(fig('2').raw.replace('t (1/ω₁₁)', 't (ω₁₁)'))).not.toBe(base);
    expect(normaliseSvg(fig('2').raw.replace(/translate\(55,/, 'translate(56,'))).not.toBe(base);
  });
});
