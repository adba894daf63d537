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
import {
  cloneScene, defaultScene, EDITOR_MAX_EMITTERS, EMITTER_COLUMNS, emitterLabel, excitedIndex, fieldId, fieldOfPath, fromLibraryScene,
  parseSceneNumber, queryToScene, SCENE_TMAX_RANGE, sceneToQuery, toLibraryScene, type EditorEmitter, type EmitterColumn, type SceneQueryResult,
  type SceneState,
} from './sceneState.js';
import { sceneBankFigure, sceneDensityFigure, scenePopulationsFigure, ROLE_STYLE, emitterColor } from './sceneFigures.js';
import { Strip } from './strip.js';

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

  function renderTable(): void {
    syntaxErrors.clear();
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
  function syncInput(j: number, key: EmitterColumn['key']): void {
    const input = document.getElementById(fieldId(j, key)) as HTMLInputElement | null;
    if (input && document.activeElement !== input) input.value = String(scene.emitters[j][key]);
    syntaxErrors.delete(fieldId(j, key));
  }

  function moveEmitter(j: number, z: number, final: boolean): void {
    scene.emitters[j].z = z;
    syncInput(j, 'z');
    edited(final);
  }

  function addEmitter(role: EditorEmitter['role']): void {
    if (scene.emitters.length >= Math.min(EDITOR_MAX_EMITTERS, MAX_EMITTERS)) return;
    const last = scene.emitters[scene.emitters.length - 1];
    const zMax = Math.max(...scene.emitters.map((e) => e.z));
    scene.emitters.push({ role, z: Number((zMax + 0.1).toPrecision(12)), omega0: last?.omega0 ?? 1, gamma: last?.gamma ?? 0.5, loss: 0 });
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

  // ------------------------------------------------------------ validation
  /** Clears every message, then shows the syntax errors and prepareScene's error at their fields. */
  function validate(): boolean {
    for (const p of document.querySelectorAll<HTMLElement>('#scene-body .error')) p.textContent = '';
    for (const i of document.querySelectorAll<HTMLElement>('#scene-body [aria-invalid]')) i.removeAttribute('aria-invalid');
    rangeErrorAt = '';
    sceneError = '';
    $('#scene-init-error').textContent = '';
    for (const [id, msg] of syntaxErrors) showAt(id, msg);
    const tm = tMaxError;
    $('#scene-tmax-error').textContent = tm;
    if (tm) tMaxInput.setAttribute('aria-invalid', 'true'); else tMaxInput.removeAttribute('aria-invalid');
    if (syntaxErrors.size || tm) return false;
    try {
      prepareScene(toLibraryScene(scene));
    } catch (e) {
      const message = (e as Error).message;
      const path = e instanceof ParameterError ? e.path : '';
      const where = fieldOfPath(path);
      if ('emitter' in where && where.emitter < scene.emitters.length) {
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
    strip.update(scene.emitters, excitedIndex(scene));
    const ok = validate();
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
      const wMax = Math.max(...scene.emitters.map((e) => e.omega0));
      l.spectrum.request({ kind: 'scene-spectrum', id, scene: lib, densities: { omegaMin: 0, omegaMax: Math.max(3, Math.min(12, wMax + 1.5)), n: 400 } });
    }
    if (dynKey !== lastDynKey) {
      lastDynKey = dynKey;
      asked.dynamics = id;
      l.dynamics.request({ kind: 'scene-dynamics', id, scene: lib, method: scene.method, tMax: scene.tMax, points: outputPoints(scene.tMax), tol: scene.tol });
    }
    opt.statusEl.textContent = 'Computing…';
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

  let queued = false;
  function renderSoon(): void {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      render();
      requestAnimationFrame(() => settle());
    });
  }

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
      statusDyn.textContent = `Dynamics: ${d.method}, ${d.t.length} points to t = ${fmt(d.t[d.t.length - 1] ?? 0)} /ω11, ${d.status}${d.status === 'success' ? '' : ` — ${d.message}`} ` +
        `(${d.path === 'pair' ? 'the paper’s ± pair path' : 'general N-emitter path'}; error estimate ${fmt(d.errorEstimate, 3)}; bank from ${d.bankSource}; ${d.ms.toFixed(0)} ms in the worker)`;
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
    $('#scene-bound-head').replaceChildren(el('th', 'E (ω11)', { scope: 'col' }), el('th', `amplitudes α (${s.emitters.map((e, j) => emitterLabel(e, j)).join(', ')})`, { scope: 'col' }), el('th', 'weight |αᵀc(0)|²', { scope: 'col' }));
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
