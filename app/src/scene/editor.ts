/**
 * The scene editor (issue 13 item 6): a TM11 guide with N emitters drawn to scale (strip.ts), a table
 * of their z, ω0, Γ, loss, role and which one is excited at t = 0, the solver settings, the scene as
 * JSON (the file format of `qbwave --scene FILE`), and three plots — every |c_j|²(t), the bank's
 * E(t), W(t) and Σ local W(t), and J_jj(ω) with the band edge and the bound states — plus the list of
 * bound states. The scene is checked on the page by the library's prepareScene; its ParameterError
 * (path `scene.emitters[2].loss`) is shown next to that field. The physics runs in two workers
 * (lanes.ts): the scene's spectrum and its dynamics (solveScene), each latest-wins and cancellable.
 * Solver errors and non-success statuses are shown as they come, never hidden.
 */
import { ParameterError } from '../../../src/errors.js';
import { MAX_EMITTERS, prepareScene } from '../../../src/model/scene.js';
import type { Method } from '../../../src/dynamics/types.js';
import { Lane } from '../lanes.js';
import { PlotView } from '../plots.js';
import { figureToCsv } from '../csv.js';
import { figureToSvg } from '../svg.js';
import type { Figure, SceneFigureId } from '../figures.js';
import type { SceneDynamicsReply, SceneSpectrumReply, WorkerReply } from '../protocol.js';
import { nextCoupledMode } from '../../../src/model/waveguide.js';
import { modeAmplitude, modeList } from '../../../src/model/reservoirs/multimode.js';
import type { Coupling } from '../../../src/model/reservoirs/reservoir.js';
import {
  cloneScene, defaultScene, emitter, RESERVOIR_KINDS, reservoirSpec, type ReservoirChoice, type ReservoirKind, EDITOR_MAX_EMITTERS, EMITTER_COLUMNS, emitterLabel, excitedIndex, fieldId, fieldOfPath, fromLibraryScene,
  parseSceneNumber, queryToScene, SCENE_TMAX_RANGE, sceneToQuery, toLibraryScene, type EditorEmitter, type EmitterColumn, type EmitterKey, type SceneQueryResult,
  type SceneState,
} from './sceneState.js';
import { sceneBankFigure, sceneDensityFigure, scenePopulationsFigure, sceneUnits, emitterColor } from './sceneFigures.js';
import { GUIDE_AXIS, Strip, type StripAxis } from './strip.js';
import { frameScheduler } from '../frames.js';

export interface SceneEditorOptions {
  makeWorker: () => Worker;
  /** The page's status line and the link notice under it (shared with the two-emitter mode). */
  statusEl: HTMLElement;
  urlNoticeEl: HTMLElement;
}

const $ = <T extends HTMLElement = HTMLElement>(sel: string): T => {
  const el = document.querySelector<T>(sel);
  if (!el) throw new Error(`missing element ${sel}`);
  return el;
};

function el(tag: string, text = '', attrs: Record<string, string> = {}): HTMLElement {
  const e = document.createElement(tag);
  if (text) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

const fmt = (v: number, d = 6) => (Number.isFinite(v) ? Number(v.toPrecision(d)).toString() : String(v));

/** Output grid size: ~10 points per 1/ω11, between 401 and 2001 (as the two-emitter page). */
function outputPoints(tMax: number): number {
  return Math.min(2001, Math.max(401, Math.round(tMax * 10) + 1));
}

export interface SceneEditor {
  /** Shows the editor with this scene (from a link: its errors and unknown keys are shown too). */
  enter(state: SceneState, fromUrl?: SceneQueryResult): void;
  /** Re-reads a scene link (the address bar changed). */
  loadQuery(query: string): void;
  current(): SceneState;
}

export function createSceneEditor(opt: SceneEditorOptions): SceneEditor {
  let scene: SceneState = defaultScene();
  /** Fields whose text is not a number (the state keeps the last number). */
  const syntaxErrors = new Map<string, string>();
  /** The one range error prepareScene reported, by element id ('' when none). */
  let rangeErrorAt = '';
  let sceneError = '';
  let tMaxError = '';
  /** The valid scene's coupling (its band edges set the J(ω) plot's range), null while invalid. */
  let coupling: Coupling | null = null;

  const body = $('#scene-body');
  const statusDyn = $('#scene-dyn-status');
  const progress = $('#scene-progress-bar');
  const boundBody = $('#scene-bound-body');
  const boundNote = $('#scene-bound-note');
  const sceneErrorEl = $('#scene-error');
  const jsonArea = $<HTMLTextAreaElement>('#scene-json');
  const jsonError = $('#scene-json-error');
  const tMaxInput = $<HTMLInputElement>('#scene-tmax');
  const methodSel = $<HTMLSelectElement>('#scene-method');
  const tolSel = $<HTMLSelectElement>('#scene-tol');
  const strip = new Strip($('#scene-strip'), { onMove: (j, z, final) => moveEmitter(j, z, final) });

  // ------------------------------------------------------------ lanes and bookkeeping
  let reqId = 0;
  const asked = { spectrum: -1, dynamics: -1 };
  const done = { spectrum: -1, dynamics: -1 };
  let lastSpecKey = '';
  let lastDynKey = '';
  const requestStates = new Map<number, SceneState>();
  const shown: { spec: SceneSpectrumReply | null; dyn: SceneDynamicsReply | null; dynError: { id: number; message: string } | null; specError: string | null } = { spec: null, dyn: null, dynError: null, specError: null };
  const figures: Partial<Record<SceneFigureId, Figure>> = {};
  let views: Record<SceneFigureId, PlotView> | null = null;
  let lanes: { spectrum: Lane; dynamics: Lane } | null = null;

  function getLanes(): { spectrum: Lane; dynamics: Lane } {
    lanes ??= {
      spectrum: new Lane({ name: 'scene-spectrum', create: opt.makeWorker, isFinal: (r) => r.kind === 'scene-spectrum' || r.kind === 'error', onReply, cancelAfterMs: 0, killAfterMs: 1500 }),
      dynamics: new Lane({ name: 'scene-dynamics', create: opt.makeWorker, isFinal: (r) => r.kind === 'scene-dynamics' || r.kind === 'error', onReply, cancelAfterMs: 120, killAfterMs: 600 }),
    };
    return lanes;
  }

  // ------------------------------------------------------------ table
  const cols = () => EMITTER_COLUMNS[scene.reservoir.kind];

  function renderHead(): void {
    const head = $('#scene-head');
    const ths = [el('th', 'emitter', { scope: 'col' }), el('th', 'role', { scope: 'col' })];
    for (const c of cols()) ths.push(el('th', `${c.label} (${c.unit})`, { scope: 'col' }));
    ths.push(el('th', 'excited at t = 0', { scope: 'col' }));
    const rm = el('th', '', { scope: 'col' });
    rm.append(el('span', 'remove', { class: 'visually-hidden' }));
    ths.push(rm);
    head.replaceChildren(...ths);
  }

  function renderTable(): void {
    syntaxErrors.clear();
    renderHead();
    const rows = scene.emitters.map((e, j) => {
      const tr = el('tr', '', { 'data-index': String(j), 'data-testid': `scene-row-${j}` });
      const label = emitterLabel(e, j);
      const th = el('th', '', { scope: 'row' });
      const sw = el('span', '', { class: `swatch-${e.role}`, 'aria-hidden': 'true' });
      sw.style.background = emitterColor(j);
      th.append(sw, document.createTextNode(` ${label}`));
      tr.append(th);
      // role
      const roleTd = el('td');
      const sel = el('select', '', { id: fieldId(j, 'role'), 'data-testid': `scene-e${j}-role`, 'aria-label': `role of emitter ${j + 1}`, 'aria-describedby': `${fieldId(j, 'role')}-error` }) as HTMLSelectElement;
      for (const r of ['charger', 'battery'] as const) sel.append(el('option', r, { value: r }));
      sel.value = e.role;
      sel.addEventListener('change', () => {
        scene.emitters[j].role = sel.value as EditorEmitter['role'];
        renderTable();
        edited();
      });
      roleTd.append(sel, el('p', '', { class: 'error', id: `${fieldId(j, 'role')}-error`, 'aria-live': 'polite' }));
      tr.append(roleTd);
      // numeric columns
      for (const c of cols()) tr.append(numericCell(j, c));
      // excited at t = 0
      const initTd = el('td', '', { class: 'init-cell' });
      const radio = el('input', '', { type: 'radio', name: 'scene-init', id: `scene-e${j}-init`, 'data-testid': `scene-e${j}-init`, 'aria-label': `emitter ${j + 1} (${label}) excited at t = 0` }) as HTMLInputElement;
      radio.checked = excitedIndex(scene) === j;
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        scene.initial = { kind: 'emitter', index: j };
        edited();
      });
      initTd.append(radio);
      tr.append(initTd);
      // remove
      const rmTd = el('td');
      const rm = el('button', 'Remove', { type: 'button', 'data-testid': `scene-e${j}-remove`, 'aria-label': `Remove emitter ${j + 1} (${label})` }) as HTMLButtonElement;
      rm.disabled = scene.emitters.length <= 1;
      rm.addEventListener('click', () => removeEmitter(j));
      rmTd.append(rm);
      tr.append(rmTd);
      return tr;
    });
    body.replaceChildren(...rows);
    $<HTMLButtonElement>('#scene-add-battery').disabled = scene.emitters.length >= EDITOR_MAX_EMITTERS;
    $<HTMLButtonElement>('#scene-add-charger').disabled = scene.emitters.length >= EDITOR_MAX_EMITTERS;
    const mixed = scene.initial.kind === 'amplitudes';
    $('#scene-init-note').textContent = mixed
      ? `c(0) is a superposition from the link or the JSON (${scene.initial.kind === 'amplitudes' ? scene.initial.c.map(([a, b]) => `${fmt(a, 4)}${b ? `${b < 0 ? '−' : '+'}${fmt(Math.abs(b), 4)}i` : ''}`).join(', ') : ''}); pick an emitter to excite it alone.`
      : 'One emitter is excited at t = 0 (default: the first charger).';
  }

  function numericCell(j: number, c: EmitterColumn): HTMLElement {
    const td = el('td');
    const id = fieldId(j, c.key);
    const input = el('input', '', {
      id, type: 'text', inputmode: 'decimal', spellcheck: 'false', 'data-testid': `scene-e${j}-${c.key}`,
      'aria-label': `${c.label} of emitter ${j + 1} (${c.unit})`, 'aria-describedby': `${id}-error`,
    }) as HTMLInputElement;
    input.value = String(scene.emitters[j][c.key]);
    input.addEventListener('input', () => setNumber(j, c, input.value));
    input.addEventListener('keydown', (ev) => {
      if (ev.key !== 'ArrowUp' && ev.key !== 'ArrowDown') return;
      ev.preventDefault();
      const v = Number((scene.emitters[j][c.key] + (ev.key === 'ArrowUp' ? 1 : -1) * c.step * (ev.shiftKey ? 10 : 1)).toPrecision(12));
      input.value = String(v);
      setNumber(j, c, input.value);
    });
    td.append(input, el('p', '', { class: 'error', id: `${id}-error`, 'aria-live': 'polite' }));
    return td;
  }

  function setNumber(j: number, c: EmitterColumn, text: string): void {
    const id = fieldId(j, c.key);
    const r = parseSceneNumber(text);
    if (!r.ok) {
      syntaxErrors.set(id, `scene.emitters[${j}].${c.key}: ${r.error}`);
      edited();
      return;
    }
    syntaxErrors.delete(id);
    scene.emitters[j][c.key] = r.value;
    edited();
  }

  /** The value of a field changed outside its input (drag): put it in the input unless the user is typing there. */
  function syncInput(j: number, key: EmitterKey): void {
    const input = document.getElementById(fieldId(j, key)) as HTMLInputElement | null;
    if (input && document.activeElement !== input) input.value = String(scene.emitters[j][key]);
    syntaxErrors.delete(fieldId(j, key));
  }

  /** The strip's axis: z (guides, tables) or the lattice site (cavity array). */
  const axisKey = (): 'z' | 'site' => (scene.reservoir.kind === 'cavity' ? 'site' : 'z');

  function moveEmitter(j: number, v: number, final: boolean): void {
    const key = axisKey();
    const value = key === 'site' ? Math.round(v) : v;
    if (scene.emitters[j][key] === value && !final) return;
    scene.emitters[j][key] = value;
    syncInput(j, key);
    edited(final);
  }

  function addEmitter(role: EditorEmitter['role']): void {
    if (scene.emitters.length >= Math.min(EDITOR_MAX_EMITTERS, MAX_EMITTERS)) return;
    const last = scene.emitters[scene.emitters.length - 1] ?? emitter(role);
    const zMax = Math.max(...scene.emitters.map((e) => e.z));
    const siteMax = Math.max(...scene.emitters.map((e) => e.site));
    // The new emitter copies the last one's frequency and coupling, 0.1 λ11 (one site) beyond the last.
    scene.emitters.push(axisKey() === 'site' ? { ...last, role, loss: 0, site: siteMax + 1 } : { ...last, role, loss: 0, z: Number((zMax + 0.1).toPrecision(12)) });
    if (scene.initial.kind === 'amplitudes') scene.initial.c.push([0, 0]);
    renderTable();
    edited();
  }

  function removeEmitter(j: number): void {
    if (scene.emitters.length <= 1) return;
    scene.emitters.splice(j, 1);
    const init = scene.initial;
    if (init.kind === 'emitter') {
      if (init.index === j) scene.initial = { kind: 'default' };
      else if (init.index > j) scene.initial = { kind: 'emitter', index: init.index - 1 };
    } else if (init.kind === 'amplitudes') {
      const [a, b] = init.c[j];
      init.c.splice(j, 1);
      if (a !== 0 || b !== 0) scene.initial = { kind: 'default' };
    }
    renderTable();
    edited();
  }

  // ------------------------------------------------------------ reservoir
  const resSel = $<HTMLSelectElement>('#scene-reservoir');
  const aspectIn = $<HTMLInputElement>('#scene-aspect');
  const modesIn = $<HTMLInputElement>('#scene-modes');
  const wcIn = $<HTMLInputElement>('#scene-wc');
  const hopIn = $<HTMLInputElement>('#scene-hop');
  const fileIn = $<HTMLInputElement>('#scene-table-file');
  /** A reservoir field whose text is not usable ('' when none). */
  let resSyntaxError = '';
  /** The last table loaded (switching away and back keeps it). */
  let lastTable: Extract<ReservoirChoice, { kind: 'table' }> | null = null;

  function stripAxis(): StripAxis {
    switch (scene.reservoir.kind) {
      case 'cavity': return { key: 'site', label: 'lattice site n', step: 1, kind: 'lattice' };
      case 'table': return { key: 'z', label: 'z (the table’s unit of length)', step: 0.01, kind: 'line' };
      default: return GUIDE_AXIS;
    }
  }

  function applyReservoirControls(): void {
    const r = scene.reservoir;
    resSel.value = r.kind;
    for (const d of document.querySelectorAll<HTMLElement>('#scene-mode [data-res]')) d.hidden = d.dataset.res !== r.kind;
    if (r.kind === 'multimode') {
      aspectIn.value = String(r.aspect);
      modesIn.value = Array.isArray(r.modes) ? r.modes.join(', ') : `max ${r.modes.maxCutoff}`;
    }
    if (r.kind === 'cavity') { wcIn.value = String(r.omegaC); hopIn.value = String(r.hopping); }
    resSyntaxError = '';
  }

  /**
   * The TM11 guide as a table (src/model/reservoirs/table.ts's example): ω(k) = √(1 + (k/2π)²) with z in
   * λ11 and |g(k)|² = 1/(4πω), so an emitter's scale s is its Γ. 801 rows up to ω = 12 ω11.
   */
  function tm11Table(): Extract<ReservoirChoice, { kind: 'table' }> {
    const n = 801;
    const kMax = 2 * Math.PI * Math.sqrt(12 * 12 - 1);
    const k = Array.from({ length: n }, (_, i) => (kMax * i) / (n - 1));
    const omega = k.map((x) => Math.sqrt(1 + (x / (2 * Math.PI)) ** 2));
    return { kind: 'table', name: 'TM11 guide as a table (example, 801 rows to 12 ω11)', k, omega, coupling: omega.map((w) => 1 / (4 * Math.PI * w)) };
  }

  function switchReservoir(kind: ReservoirKind): void {
    if (kind === scene.reservoir.kind) return;
    if (kind === 'tm11') scene.reservoir = { kind: 'tm11' };
    else if (kind === 'multimode') scene.reservoir = { kind: 'multimode', modes: ['TM11', 'TM13', 'TM31', 'TM33'], aspect: 1 };
    else if (kind === 'cavity') {
      scene.reservoir = { kind: 'cavity', omegaC: 0, hopping: 1 };
      // Neighbouring sites unless the emitters already sit on different ones.
      if (new Set(scene.emitters.map((e) => e.site)).size < scene.emitters.length) scene.emitters.forEach((e, j) => { e.site = j; });
    } else scene.reservoir = lastTable ?? tm11Table();
    applyReservoirControls();
    renderTable();
    edited();
  }

  /** "TM11, TM13 TM31;TM1,12" → names; "max 4" or "max:4" → {maxCutoff: 4}. */
  function parseModes(text: string): string[] | { maxCutoff: number } | string {
    const t = text.trim();
    const m = /^max\s*:?\s*(.*)$/i.exec(t);
    if (m) {
      const r = parseSceneNumber(m[1]);
      return r.ok ? { maxCutoff: r.value } : `modes "${t}": after "max" give a number c (every TM mode below c·ω11)`;
    }
    // Separators: spaces, ';', or a ',' before the next mode's name (a ',' inside "TM1,12" stays).
    const names = t.split(/[\s;]+/).flatMap((x) => x.split(/,(?=T[EM])/i)).map((x) => x.replace(/^,+|,+$/g, '')).filter(Boolean);
    return names.length ? names : 'modes: list TM modes (e.g. "TM11, TM13, TM31") or give "max 4"';
  }

  function readReservoirFields(): void {
    const r = scene.reservoir;
    resSyntaxError = '';
    if (r.kind === 'multimode') {
      const a = parseSceneNumber(aspectIn.value);
      const modes = parseModes(modesIn.value);
      if (!a.ok) resSyntaxError = `aspect b/a: ${a.error}`;
      else if (typeof modes === 'string') resSyntaxError = modes;
      else scene.reservoir = { kind: 'multimode', aspect: a.value, modes };
    } else if (r.kind === 'cavity') {
      const wc = parseSceneNumber(wcIn.value);
      const hop = parseSceneNumber(hopIn.value);
      if (!wc.ok) resSyntaxError = `ωc: ${wc.error}`;
      else if (!hop.ok) resSyntaxError = `hopping J: ${hop.error}`;
      else scene.reservoir = { kind: 'cavity', omegaC: wc.value, hopping: hop.value };
    }
    edited();
  }

  /** A band table from CSV text: rows of k, omega, coupling (',', ';', tab or spaces), '#' comments, an optional header naming the columns. */
  function parseTableCsv(text: string, name: string): Extract<ReservoirChoice, { kind: 'table' }> {
    const out = { kind: 'table' as const, name, k: [] as number[], omega: [] as number[], coupling: [] as number[] };
    let order = [0, 1, 2];
    text.split(/\r?\n/).forEach((line, i) => {
      const t = line.trim();
      if (!t || t.startsWith('#')) return;
      const cells = t.split(/\s*[,;\t]\s*|\s+/);
      if (cells.length !== 3) throw new Error(`${name}, line ${i + 1}: a row holds 3 values (k, omega, coupling), found ${cells.length}`);
      const nums = cells.map((c) => parseSceneNumber(c));
      if (nums.some((r) => !r.ok)) {
        if (out.k.length === 0) {
          const names = cells.map((c) => c.toLowerCase());
          const idx = ['k', 'omega', 'coupling'].map((c) => names.indexOf(c));
          if (idx.every((x) => x >= 0)) { order = idx; return; }
        }
        throw new Error(`${name}, line ${i + 1}: "${t.slice(0, 60)}" is not three numbers (k, omega, coupling)`);
      }
      const v = nums.map((r) => (r as { value: number }).value);
      out.k.push(v[order[0]]);
      out.omega.push(v[order[1]]);
      out.coupling.push(v[order[2]]);
    });
    if (!out.k.length) throw new Error(`${name}: no rows of numbers (k, omega, coupling)`);
    return out;
  }

  resSel.addEventListener('change', () => switchReservoir(resSel.value as ReservoirKind));
  for (const input of [aspectIn, modesIn, wcIn, hopIn]) input.addEventListener('input', () => readReservoirFields());
  fileIn.addEventListener('change', async () => {
    const f = fileIn.files?.[0];
    if (!f) return;
    try {
      lastTable = parseTableCsv(await f.text(), f.name);
    } catch (e) {
      $('#scene-res-error').textContent = (e as Error).message;
      return;
    }
    scene.reservoir = lastTable;
    applyReservoirControls();
    edited();
  });
  $('#scene-table-example').addEventListener('click', () => {
    lastTable = tm11Table();
    scene.reservoir = lastTable;
    applyReservoirControls();
    edited();
  });

  /** The modes of the guide with their cutoffs, the band, or the table's size; and the validity warning. */
  function renderReservoirInfo(): void {
    const r = scene.reservoir;
    const info = $('#scene-res-info');
    const warn = $('#scene-validity');
    const f = (v: number) => fmt(v, 4);
    const warnings: string[] = [];
    if (r.kind === 'tm11') {
      // The paper's square guide, emitters at its centre: the next mode they couple to (src/model/waveguide.ts).
      const next = nextCoupledMode({ a: 1, b: 1 }, 0.5, 0.5);
      info.textContent = `One band above ω11 = 1 (edge at 1). The next mode a centred emitter couples to in a square guide is TM${next?.m}${next?.n} (and its twin) at ${f(next?.ratio ?? NaN)} ω11, left out of this model.`;
      if (next) scene.emitters.forEach((e, j) => {
        if (e.omega0 > next.ratio) warnings.push(`${emitterLabel(e, j)}: ω0 = ${f(e.omega0)} ω11 is above the TM${next.m}${next.n}/TM${next.n}${next.m} cutoff √5 ≈ ${f(next.ratio)} ω11; the single-mode model leaves out that decay channel, so its results are not right here — choose “rectangular guide, several TM modes”.`);
      });
    } else if (r.kind === 'multimode') {
      let modes: ReturnType<typeof modeList> = [];
      try { modes = modeList(reservoirSpec(r).modes, r.aspect, 'scene.reservoir.modes'); } catch { modes = []; }
      info.textContent = modes.length ? `Modes (cutoff in ω11; each is a band edge): ${modes.map((m) => `${m.name} ${f(m.cutoff)}`).join(', ')}. ω0 is the bare frequency with these modes (the Lamb shift of all modes diverges).` : '';
      const listed = new Set(modes.map((m) => `${m.m},${m.n}`));
      scene.emitters.forEach((e, j) => {
        // The lowest TM mode this emitter couples to (s_mn(x, y) ≠ 0) that the list leaves out.
        let best: { m: number; n: number; c: number } | null = null;
        for (let m = 1; m <= 15; m++) for (let n = 1; n <= 15; n++) {
          if (listed.has(`${m},${n}`) || Math.abs(modeAmplitude(m, n, e.x, e.y)) < 1e-9) continue;
          const c = Math.sqrt((m * m + (n * n) / (r.aspect * r.aspect)) / (1 + 1 / (r.aspect * r.aspect)));
          if (!best || c < best.c) best = { m, n, c };
        }
        if (best && e.omega0 > best.c) warnings.push(`${emitterLabel(e, j)}: ω0 = ${f(e.omega0)} ω11 is above the cutoff ${f(best.c)} ω11 of TM${best.m},${best.n}, which it couples to and the list leaves out — add that mode.`);
      });
    } else if (r.kind === 'cavity') {
      info.textContent = `Band [${f(r.omegaC - 2 * r.hopping)}, ${f(r.omegaC + 2 * r.hopping)}] with square-root edges at both ends; bound states above and below it. Frequencies in the array's own unit.`;
    } else {
      const lo = Math.min(...r.omega), hi = Math.max(...r.omega);
      info.textContent = `${r.name}: ${r.k.length} rows, k ∈ [${f(r.k[0])}, ${f(r.k[r.k.length - 1])}], ω ∈ [${f(lo)}, ${f(hi)}]; the band ends at the last row (modes above it are left out).`;
    }
    // One line per distinct message (emitters with the same ω0 share it).
    const grouped = new Map<string, string[]>();
    for (const w of warnings) {
      const [who, ...rest] = w.split(': ');
      const key = rest.join(': ');
      grouped.set(key, [...(grouped.get(key) ?? []), who]);
    }
    warn.textContent = [...grouped].map(([msg, who]) => `${who.join(', ')}: ${msg}`).join(' ');
    $('#scene-strip-hint').textContent = `${r.kind === 'cavity' ? 'The array of cavities, one square per site' : r.kind === 'table' ? 'The band’s axis z' : 'The guide seen from the side, along z in λ11 = 2πc/ω11'}: chargers ■, batteries ●; the dashed ring marks the emitter excited at t = 0. Drag a marker, or focus it and use ← →.`;
  }

  // ------------------------------------------------------------ validation
  /** Clears every message, then shows the syntax errors and prepareScene's error at their fields. */
  function validate(): boolean {
    for (const p of document.querySelectorAll<HTMLElement>('#scene-body .error')) p.textContent = '';
    for (const i of document.querySelectorAll<HTMLElement>('#scene-body [aria-invalid]')) i.removeAttribute('aria-invalid');
    rangeErrorAt = '';
    sceneError = '';
    $('#scene-init-error').textContent = '';
    for (const [id, msg] of syntaxErrors) showAt(id, msg);
    $('#scene-res-error').textContent = resSyntaxError;
    if (resSyntaxError) return false;
    const tm = tMaxError;
    $('#scene-tmax-error').textContent = tm;
    if (tm) tMaxInput.setAttribute('aria-invalid', 'true'); else tMaxInput.removeAttribute('aria-invalid');
    if (syntaxErrors.size || tm) return false;
    try {
      coupling = prepareScene(toLibraryScene(scene)).coupling;
    } catch (e) {
      coupling = null;
      const message = (e as Error).message;
      const path = e instanceof ParameterError ? e.path : '';
      const where = fieldOfPath(path);
      if ('reservoir' in where) {
        $('#scene-res-error').textContent = message;
        sceneError = message;
      } else if ('emitter' in where && where.emitter < scene.emitters.length) {
        rangeErrorAt = fieldId(where.emitter, where.key);
        showAt(rangeErrorAt, message);
      } else if ('scene' in where && where.scene === 'initial') {
        $('#scene-init-error').textContent = message;
      } else {
        sceneError = message;
      }
      sceneErrorEl.textContent = sceneError;
      return false;
    }
    sceneErrorEl.textContent = '';
    return true;
  }

  function showAt(id: string, message: string): void {
    const input = document.getElementById(id);
    const err = document.getElementById(`${id}-error`);
    input?.setAttribute('aria-invalid', 'true');
    if (err) err.textContent = message;
  }

  // ------------------------------------------------------------ change → URL → compute
  let urlTimer: ReturnType<typeof setTimeout> | null = null;

  function writeUrl(): void {
    if ($('#scene-mode').hidden) return; // the two-emitter page owns the address bar in its mode
    const hash = `#${sceneToQuery(scene)}`;
    if (location.hash === hash) return;
    try { history.replaceState(null, '', hash); } catch { location.replace(hash); }
  }

  function edited(final = true): void {
    strip.update(scene.emitters, excitedIndex(scene), stripAxis());
    const ok = validate();
    renderReservoirInfo();
    document.body.dataset.sceneInvalid = ok ? 'false' : 'true';
    if (!ok) {
      opt.statusEl.textContent = 'Fix the highlighted field — the plots show the last valid scene.';
      markSettled();
      return;
    }
    if (urlTimer !== null) clearTimeout(urlTimer);
    urlTimer = setTimeout(() => { urlTimer = null; if (document.body.dataset.sceneInvalid === 'false') writeUrl(); }, final ? 0 : 150);
    updateJson();
    request();
  }

  function updateJson(): void {
    if (document.activeElement === jsonArea) return;
    jsonArea.value = JSON.stringify(toLibraryScene(scene), null, 1).replace(/\[\n\s*([^\[\]{}]*?)\n\s*\]/g, (_m, inner: string) => `[${inner.replace(/\n\s*/g, ' ')}]`);
  }

  function request(): void {
    const lib = toLibraryScene(scene);
    const specKey = JSON.stringify([lib.reservoir, lib.emitters]);
    const dynKey = JSON.stringify([lib, scene.method, scene.tMax, scene.tol]);
    if (specKey === lastSpecKey && dynKey === lastDynKey) { render(); markSettled(); return; }
    const id = ++reqId;
    requestStates.set(id, cloneScene(scene));
    if (requestStates.size > 64) requestStates.delete(requestStates.keys().next().value!);
    document.body.dataset.sceneBusy = 'true';
    document.body.dataset.sceneRequestId = String(id);
    const l = getLanes();
    if (specKey !== lastSpecKey) {
      lastSpecKey = specKey;
      asked.spectrum = id;
      l.spectrum.request({ kind: 'scene-spectrum', id, scene: lib, densities: { ...densityRange(), n: 400 } });
    }
    if (dynKey !== lastDynKey) {
      lastDynKey = dynKey;
      asked.dynamics = id;
      l.dynamics.request({ kind: 'scene-dynamics', id, scene: lib, method: scene.method, tMax: scene.tMax, points: outputPoints(scene.tMax), tol: scene.tol });
    }
    opt.statusEl.textContent = 'Computing…';
  }

  /**
   * The ω range of the J(ω) plot: every finite band edge and every ω_j, with a margin of a quarter of
   * their spread (at least 0.5, and at least 1.5 above the highest, where the TM11 tail goes on).
   */
  function densityRange(): { omegaMin: number; omegaMax: number } {
    const xs = [...scene.emitters.map((e) => e.omega0), ...(coupling?.edges ?? []).filter(Number.isFinite)];
    const lo = Math.min(...xs), hi = Math.max(...xs);
    const pad = Math.max(0.5, 0.25 * (hi - lo));
    const open = coupling?.bands.some(([, b]) => !Number.isFinite(b)) ?? true;
    return { omegaMin: lo - pad, omegaMax: hi + (open ? Math.max(1.5, pad) : pad) };
  }

  function onReply(r: WorkerReply): void {
    switch (r.kind) {
      case 'scene-spectrum': shown.spec = r; shown.specError = null; done.spectrum = r.id; break;
      case 'scene-dynamics': shown.dyn = r; shown.dynError = null; done.dynamics = r.id; break;
      case 'progress': progress.style.width = `${Math.round(100 * r.fraction)}%`; return;
      case 'error':
        if (r.request === 'scene-dynamics') { shown.dynError = { id: r.id, message: r.message }; shown.dyn = null; done.dynamics = r.id; }
        else { shown.specError = r.message; done.spectrum = r.id; }
        break;
      default: return;
    }
    renderSoon();
  }

  const renderSoon = frameScheduler(render, settle);

  function settle(): void {
    if (done.spectrum < asked.spectrum || done.dynamics < asked.dynamics) return;
    if (lanes && (lanes.spectrum.busy || lanes.dynamics.busy)) return;
    progress.style.width = '0%';
    markSettled();
  }

  function markSettled(): void {
    const busy = lanes !== null && (lanes.spectrum.busy || lanes.dynamics.busy || done.spectrum < asked.spectrum || done.dynamics < asked.dynamics);
    if (busy) return;
    document.body.dataset.sceneBusy = 'false';
    document.body.dataset.sceneRenderedId = String(reqId);
    document.body.dataset.sceneRequestId = String(reqId);
    if (document.body.dataset.sceneInvalid !== 'true') opt.statusEl.textContent = shown.dynError ? 'Up to date (the solver reported an error, see below).' : 'Up to date.';
  }

  // ------------------------------------------------------------ rendering
  const stateFor = (id: number | undefined) => (id !== undefined ? requestStates.get(id) : undefined) ?? scene;

  function render(): void {
    views ??= {
      'scene-populations': new PlotView($('[data-testid="scene-plot-populations"]')),
      'scene-bank': new PlotView($('[data-testid="scene-plot-bank"]')),
      'scene-density': new PlotView($('[data-testid="scene-plot-density"]')),
    };
    const dynState = stateFor(shown.dyn?.id);
    const specState = stateFor(shown.spec?.id);
    figures['scene-populations'] = scenePopulationsFigure(dynState, shown.dyn);
    figures['scene-bank'] = sceneBankFigure(dynState, shown.dyn);
    figures['scene-density'] = sceneDensityFigure(specState, shown.spec);
    for (const id of Object.keys(views) as SceneFigureId[]) views[id].update(figures[id]!);
    renderBound(specState);
    renderStatus();
  }

  function renderStatus(): void {
    const methodErr = $('#scene-method-error');
    if (shown.dynError) {
      const s = stateFor(shown.dynError.id);
      statusDyn.dataset.status = 'error';
      statusDyn.textContent = `Dynamics: ${s.method} failed: ${shown.dynError.message}`;
      methodErr.textContent = `${s.method}: ${shown.dynError.message}`;
    } else if (shown.dyn) {
      const d = shown.dyn;
      methodErr.textContent = '';
      statusDyn.dataset.status = d.status;
      const u = sceneUnits(stateFor(d.id));
      statusDyn.textContent = `Dynamics: ${d.method}, ${d.t.length} points to t = ${fmt(d.t[d.t.length - 1] ?? 0)} ${u.t}, ${d.status}${d.status === 'success' ? '' : ` — ${d.message}`} ` +
        `(${d.path === 'pair' ? 'the paper’s ± pair path' : 'general N-emitter path'}; error estimate ${fmt(d.errorEstimate, 3)}; bank from ${d.bankSource}; ${d.ms.toFixed(0)} ms in the worker)` +
        (d.maxPower ? `. Largest average charging power E_bank(t)/t = ${fmt(d.maxPower.max, 4)} (${u.f})² at t = ${fmt(d.maxPower.time, 4)} ${u.t}.` : '');
    }
    statusDyn.dataset.requestId = String(shown.dyn?.id ?? shown.dynError?.id ?? -1);
  }

  function renderBound(s: SceneState): void {
    const sp = shown.spec;
    if (shown.specError) {
      boundBody.replaceChildren(rowOf([el('td', `spectrum failed: ${shown.specError}`, { colspan: '3' })]));
      boundNote.textContent = '';
      return;
    }
    if (!sp) return;
    $('#scene-bound-head').replaceChildren(el('th', `E (${sceneUnits(s).f})`, { scope: 'col' }), el('th', `amplitudes α (${s.emitters.map((e, j) => emitterLabel(e, j)).join(', ')})`, { scope: 'col' }), el('th', 'weight |αᵀc(0)|²', { scope: 'col' }));
    const c0 = initialVector(s);
    const row = (b: SceneSpectrumReply['embedded'][number], embedded: boolean) => {
      let re = 0, im = 0;
      b.amplitudes.forEach((a, j) => { re += a * (c0[2 * j] ?? 0); im += a * (c0[2 * j + 1] ?? 0); });
      return rowOf([
        el('td', `${b.energy.toPrecision(12)}${embedded ? ' (in the continuum, decoupled)' : ''}`, { 'data-testid': embedded ? 'scene-embedded-energy' : 'scene-bound-energy', 'data-value': String(b.energy) }),
        el('td', b.amplitudes.map((a) => a.toPrecision(6)).join(', '), { 'data-testid': 'scene-bound-amplitudes', 'data-value': JSON.stringify(b.amplitudes) }),
        el('td', fmt(re * re + im * im, 4)),
      ]);
    };
    if (!sp.boundStates) {
      boundBody.replaceChildren(rowOf([el('td', 'not available', { colspan: '3' })]));
    } else if (!sp.boundStates.length && !sp.embedded.length) {
      boundBody.replaceChildren(rowOf([el('td', 'none below the band edge', { colspan: '3' })]));
    } else {
      boundBody.replaceChildren(...sp.boundStates.map((b) => row(b, false)), ...sp.embedded.map((b) => row(b, true)));
    }
    const parts: string[] = [];
    if (sp.boundStates) parts.push(`${sp.boundStates.length} bound state${sp.boundStates.length === 1 ? '' : 's'} (from ${sp.source})${sp.regime ? `, regime ${sp.regime} (effective count as in Fig. 4a)` : ''}`);
    if (sp.note) parts.push(sp.note);
    parts.push('weight: |αᵀc(0)|², the share of the initial state that stays in that bound state');
    boundNote.textContent = parts.join('; ');
    boundNote.dataset.source = sp.source;
    boundNote.dataset.status = sp.status || 'success';
  }

  function rowOf(cells: HTMLElement[]): HTMLElement {
    const tr = el('tr');
    tr.append(...cells);
    return tr;
  }

  function initialVector(s: SceneState): number[] {
    const out = new Array<number>(2 * s.emitters.length).fill(0);
    if (s.initial.kind === 'amplitudes') s.initial.c.forEach(([a, b], j) => { out[2 * j] = a; out[2 * j + 1] = b; });
    else { const j = excitedIndex(s); if (j !== null) out[2 * j] = 1; }
    return out;
  }

  // ------------------------------------------------------------ other controls
  function applyControls(): void {
    tMaxInput.value = String(scene.tMax);
    tMaxError = '';
    methodSel.value = scene.method;
    tolSel.value = scene.tol === 1e-8 ? '1e-8' : scene.tol === 1e-5 ? '0.00001' : '0.001';
  }

  tMaxInput.addEventListener('input', () => {
    const r = parseSceneNumber(tMaxInput.value);
    if (!r.ok) tMaxError = `t_max: ${r.error}; in (0, ${SCENE_TMAX_RANGE.max}] (1/ω11)`;
    else if (!(r.value > 0 && r.value <= SCENE_TMAX_RANGE.max)) tMaxError = `t_max = ${r.value} is out of range: in (0, ${SCENE_TMAX_RANGE.max}] (1/ω11)`;
    else { tMaxError = ''; scene.tMax = r.value; }
    edited();
  });
  methodSel.addEventListener('change', () => { scene.method = methodSel.value as Method; edited(); });
  tolSel.addEventListener('change', () => { scene.tol = Number(tolSel.value); edited(); });
  $('#scene-add-battery').addEventListener('click', () => addEmitter('battery'));
  $('#scene-add-charger').addEventListener('click', () => addEmitter('charger'));
  $('#scene-reset').addEventListener('click', () => load(defaultScene()));
  $('#scene-json-apply').addEventListener('click', () => {
    let next: SceneState;
    try {
      const parsed = JSON.parse(jsonArea.value) as unknown;
      prepareScene(parsed);
      next = fromLibraryScene(parsed as Parameters<typeof fromLibraryScene>[0], scene);
    } catch (e) {
      jsonError.textContent = (e as Error).message;
      return;
    }
    jsonError.textContent = '';
    jsonArea.blur();
    load(next);
  });
  $('#scene-json-download').addEventListener('click', () => download('qbwave-scene.json', `${JSON.stringify(toLibraryScene(scene), null, 2)}\n`, 'application/json'));
  for (const fig of document.querySelectorAll<HTMLElement>('#scene-mode figure.plot')) {
    const id = fig.dataset.plot as SceneFigureId;
    for (const b of fig.querySelectorAll<HTMLButtonElement>('button[data-export]')) {
      b.setAttribute('aria-label', `Download the ${id.replace('scene-', '')} plot as ${b.dataset.export!.toUpperCase()}`);
      b.addEventListener('click', () => void exportFigure(id, b.dataset.export as 'csv' | 'svg'));
    }
  }

  function exportFigure(id: SceneFigureId, kind: 'csv' | 'svg'): void {
    const fig = figures[id];
    if (!fig) return;
    const sub = `${fig.summary.slice(0, 160)}`;
    if (kind === 'csv') download(`qbwave-${id}.csv`, figureToCsv(fig, [`scene: ${JSON.stringify(toLibraryScene(scene))}`, `generated by the qbwave explorer from ${location.href}`]), 'text/csv');
    else download(`qbwave-${id}.svg`, figureToSvg(fig, { subtitle: sub }), 'image/svg+xml');
  }

  function download(name: string, data: string, type: string): void {
    const url = URL.createObjectURL(new Blob([data], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  function load(next: SceneState): void {
    scene = cloneScene(next);
    if (scene.reservoir.kind === 'table') lastTable = scene.reservoir;
    applyReservoirControls();
    applyControls();
    renderTable();
    edited();
  }

  function showLinkProblems(r: SceneQueryResult | undefined): void {
    const lines: string[] = [];
    for (const e of r?.errors ?? []) lines.push(e.error);
    if (r?.unknownKeys.length) lines.push(`The link has ${r.unknownKeys.length === 1 ? 'a key' : 'keys'} the scene editor does not know, ignored: ${r.unknownKeys.map((k) => JSON.stringify(k)).join(', ')}.`);
    opt.urlNoticeEl.textContent = lines.join(' ');
  }

  // ------------------------------------------------------------ test hooks
  (window as unknown as { __qbwaveScene: unknown }).__qbwaveScene = {
    state: () => cloneScene(scene),
    figures,
    spectrum: () => shown.spec,
    dynamics: () => shown.dyn,
    lanes: () => (lanes ? { spectrum: lanes.spectrum.stats, dynamics: lanes.dynamics.stats } : null),
  };

  return {
    enter(state, fromUrl) {
      showLinkProblems(fromUrl);
      load(state);
      if (fromUrl && document.body.dataset.sceneInvalid === 'true') {
        opt.urlNoticeEl.textContent = `${opt.urlNoticeEl.textContent ? `${opt.urlNoticeEl.textContent} ` : ''}The link's scene is not valid: ${sceneError || document.querySelector('#scene-body .error:not(:empty), #scene-init-error:not(:empty)')?.textContent || 'see the highlighted field'}`;
      }
    },
    loadQuery(query) {
      const r = queryToScene(query);
      this.enter(r.state, r);
    },
    current: () => cloneScene(scene),
  };
}
