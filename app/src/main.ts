/**
 * The explorer page: controls <-> state <-> URL, requests to the compute lanes, and rendering of
 * results and plots. Nothing here computes physics; the workers do (worker.ts, on the src/ core).
 */
import './style.css';
import { describeRange } from '../../src/errors.js';
import { lambda11, nextCoupledMode, omega11 } from '../../src/model/waveguide.js';
import { guideOf } from './physical.js';
import {
  DEFAULT_STATE, DEFAULT_TOL, FIELD_RANGES, formatShort, modelParams, parseField, queryToState, stateToQuery,
  type AppState, type NumericField, type QueryResult, URL_KEYS,
} from './state.js';
import { Lane } from './lanes.js';
import type { DynamicsReply, ErrorReply, MapReply, MapSpec, SpectrumPointReply, SweepReply, SweepSpec, WorkerReply } from './protocol.js';
import { densityFigure, densityOmegaMax, energyFigure, paramLine, populationsFigure, spectrumFigure, type Figure, type PairFigureId } from './figures.js';
import { PlotView } from './plots.js';
import { figureToSvg } from './svg.js';
import { figureToCsv, resultsToCsv } from './csv.js';
import { PRESETS, presetState } from './presets.js';
import { formatSeconds, gammaFromNv, nvGamma11, omega11ElectronVolts } from './physical.js';
import { LONG_SPAN } from './compute.js';
import { MapView, mapToCsv, type MapQuantity } from './map.js';
import QbwaveWorker from './worker.ts?worker&inline';
import { PLAIN_DECIMAL } from '../../src/decimal.js';
import { createSceneEditor, type SceneEditor } from './scene/editor.js';
import { isSceneQuery, queryToScene, sceneFromPair } from './scene/sceneState.js';
import { frameScheduler } from './frames.js';

// ---------------------------------------------------------------- elements
const $ = <T extends HTMLElement = HTMLElement>(sel: string): T => {
  const el = document.querySelector<T>(sel);
  if (!el) throw new Error(`missing element ${sel}`);
  return el;
};

const statusEl = $('#status');
const boundBody = $('#bound-body');
const steadyEl = $('#steady');
const dynStatusEl = $('#dyn-status');
const progressBar = $('#progress-bar');
const resultParamsEl = $('#result-params');
const perfEl = $('#perf');
const resultsEl = $('#results');

// ---------------------------------------------------------------- state
const fromUrl = queryToState(location.hash || location.search);
let state: AppState = fromUrl.state;
/** Fields whose typed text is not a valid value (the state keeps the last valid one). */
const invalid = new Set<string>();
/** Accuracy requested from the dynamics solver (not part of the physics state, but kept in the URL). */
let tol = fromUrl.tol;

// ---------------------------------------------------------------- numeric fields (text + slider)
const MODEL_FIELDS: NumericField[] = ['omega0', 'dz', 'gamma11', 'tMax', 'threshold', 'aNm', 'bNm'];

/**
 * The control that shows a field's error: the element with the field's id (a text input, the method
 * or tol select, the sweep radio group) — `units` is the physical-units checkbox — and `<id>-error`.
 */
const CONTROL_OF: Record<string, string> = { units: 'physical' };

function showError(field: string, message: string | null): void {
  const id = CONTROL_OF[field] ?? field;
  const input = document.getElementById(id) as HTMLInputElement | null;
  const err = document.getElementById(`${id}-error`);
  if (!input || !err) return;
  if (message) {
    invalid.add(field);
    input.setAttribute('aria-invalid', 'true');
    err.textContent = message;
  } else {
    invalid.delete(field);
    input.removeAttribute('aria-invalid');
    err.textContent = '';
  }
}

function setFieldText(field: string, value: number): void {
  const input = document.getElementById(field) as HTMLInputElement | null;
  if (input && document.activeElement !== input) input.value = String(Number(value.toPrecision(12)));
  const range = document.getElementById(`${field}-range`) as HTMLInputElement | null;
  if (range) {
    range.value = String(Math.min(Math.max(value, Number(range.min)), Number(range.max)));
    range.setAttribute('aria-valuetext', `${formatShort(value)} ${unitWord(field)}`);
  }
}

function unitWord(field: string): string {
  return ({ omega0: 'ω11', dz: 'λ11', gamma11: 'ω11', tMax: 'per ω11' } as Record<string, string>)[field] ?? '';
}

function bindNumeric(field: NumericField): void {
  const input = $<HTMLInputElement>(`#${field}`);
  const range = document.getElementById(`${field}-range`) as HTMLInputElement | null;
  const apply = (text: string, from: 'text' | 'range') => {
    const r = parseField(field, text, state.units);
    if (!r.ok) {
      showError(field, r.error);
      markStale();
      return;
    }
    const wasInvalid = invalid.has(field);
    showError(field, null);
    if (state[field] === r.value && from === 'text' && !wasInvalid) return;
    const wasNv = gammaFromNv(state);
    state = { ...state, [field]: r.value };
    // Γ11 taken from the NV dipole follows the guide when a or b changes (gamma11Ratio ∝ 1/(ab)).
    if (wasNv && (field === 'aNm' || field === 'bNm')) {
      state = { ...state, gamma11: nvGamma11(state) };
      setFieldText('gamma11', state.gamma11);
      showError('gamma11', null);
    }
    if (from === 'range') input.value = text;
    if (range && from === 'text') range.value = String(Math.min(Math.max(r.value, Number(range.min)), Number(range.max)));
    if (range) range.setAttribute('aria-valuetext', `${formatShort(r.value)} ${unitWord(field)}`);
    if (field === 'omega0' || field === 'dz' || field === 'aNm' || field === 'bNm') syncPhysical(field);
    changed();
  };
  input.addEventListener('input', () => apply(input.value, 'text'));
  input.addEventListener('change', () => { if (!invalid.has(field)) setFieldText(field, state[field]); });
  input.addEventListener('keydown', (ev) => {
    if (ev.key !== 'ArrowUp' && ev.key !== 'ArrowDown') return;
    ev.preventDefault();
    const step = Number(range?.step || 0.01) * (ev.shiftKey ? 10 : 1);
    const v = Number((state[field] + (ev.key === 'ArrowUp' ? step : -step)).toPrecision(12));
    input.value = String(v);
    apply(input.value, 'text');
  });
  range?.addEventListener('input', () => apply(range.value, 'range'));
}

// ---------------------------------------------------------------- physical units
function guide(): { a: number; b: number } {
  return { a: state.aNm * 1e-9, b: state.bNm * 1e-9 };
}

/** λ0 and Δz in nm from the model parameters, or recompute ω0 and Δz/λ11 after a, b changed. */
function syncPhysical(changedField?: string): void {
  if (state.units !== 'physical') {
    $('#tMax-phys').textContent = '';
    renderGammaNote();
    return;
  }
  const lam11 = lambda11(guide()) * 1e9;
  if (changedField === 'aNm' || changedField === 'bNm') {
    // The emitter (λ0) and the distance in nm stay; the dimensionless parameters move.
    const lambda0 = readPhysical('lambda0');
    const dzNm = readPhysical('dzNm');
    if (lambda0 !== null) setModelFromPhysical('omega0', lam11 / lambda0, 'lambda0');
    if (dzNm !== null) setModelFromPhysical('dz', dzNm / lam11, 'dzNm');
  } else {
    setPhysicalText('lambda0', lam11 / state.omega0);
    setPhysicalText('dzNm', state.dz * lam11);
  }
  renderDerived();
}

function readPhysical(id: 'lambda0' | 'dzNm'): number | null {
  const v = Number(($<HTMLInputElement>(`#${id}`)).value);
  return Number.isFinite(v) && v > 0 ? v : id === 'dzNm' && v === 0 ? 0 : null;
}

function setPhysicalText(id: 'lambda0' | 'dzNm', v: number): void {
  const input = $<HTMLInputElement>(`#${id}`);
  if (document.activeElement !== input) input.value = String(Number(v.toPrecision(8)));
  showError(id, null);
}

function setModelFromPhysical(field: 'omega0' | 'dz', value: number, source: 'lambda0' | 'dzNm'): boolean {
  const r = parseField(field, String(value));
  if (!r.ok) {
    const range = FIELD_RANGES[field];
    showError(source, `gives ${field === 'omega0' ? 'ω0' : 'Δz'} = ${formatShort(value)} ${field === 'omega0' ? 'ω11' : 'λ11'}, which ${describeRange(range)}`);
    return false;
  }
  showError(source, null);
  state = { ...state, [field]: r.value };
  setFieldText(field, r.value);
  showError(field, null);
  return true;
}

function bindPhysical(): void {
  $('#gamma11-nv').addEventListener('click', () => {
    state = { ...state, gamma11: nvGamma11(state) };
    setFieldText('gamma11', state.gamma11);
    showError('gamma11', null);
    changed();
  });
  const box = $<HTMLInputElement>('#physical');
  box.addEventListener('change', () => {
    showError('units', null);
    state = { ...state, units: box.checked ? 'physical' : 'model' };
    // Back to model units: t_max returns to its model range (0, 2000]/ω11.
    if (!box.checked && state.tMax > LONG_SPAN) { state = { ...state, tMax: LONG_SPAN }; setFieldText('tMax', LONG_SPAN); }
    showError('tMax', null);
    $('#physical-panel').hidden = !box.checked;
    syncPhysical();
    changed();
  });
  for (const id of ['lambda0', 'dzNm'] as const) {
    const input = $<HTMLInputElement>(`#${id}`);
    input.addEventListener('input', () => {
      const text = input.value.trim();
      const v = Number(text);
      if (text === '' || !PLAIN_DECIMAL.test(text) || !(id === 'dzNm' ? v >= 0 : v > 0)) {
        showError(id, `"${text}" is not allowed: ${id === 'dzNm' ? 'a distance ≥ 0' : 'a wavelength > 0'} in nm`);
        markStale();
        return;
      }
      const lam11 = lambda11(guide()) * 1e9;
      const ok = id === 'lambda0' ? setModelFromPhysical('omega0', lam11 / v, id) : setModelFromPhysical('dz', v / lam11, id);
      if (ok) changed();
      else markStale();
    });
  }
}

function renderDerived(): void {
  const g = guide();
  const lam11 = lambda11(g) * 1e9;
  const w11 = omega11(g);
  const next = nextCoupledMode(g, g.a / 2, g.b / 2);
  const rows: [string, string][] = [
    ['λ11 = 2ab/√(a²+b²)', `${formatShort(lam11, 5)} nm`],
    ['ω11 = cπ√(1/a² + 1/b²)', `${sci(w11, 5)} rad/s (f11 = ${sci(w11 / 2 / Math.PI, 5)} Hz)`],
    ['ω0', `${formatShort(state.omega0, 6)} ω11 (λ0 = ${formatShort(lam11 / state.omega0, 5)} nm)`],
    ['time unit 1/ω11', `${formatShort(1e15 / w11, 4)} fs`],
    ['ħω11 (energies in eV)', `${formatShort(omega11ElectronVolts(state), 6)} eV`],
    [`Γ11 = ${formatShort(state.gamma11)} ω11`, `${sci(state.gamma11 * w11, 4)} s⁻¹${gammaFromNv(state) ? ' (from the NV dipole, 5.3 D at the guide centre)' : ''}`],
  ];
  if (next) rows.push([`next coupled mode TM${next.m}${next.n} (centred emitter)`, `${formatShort(next.ratio, 4)} ω11${state.omega0 > next.ratio ? ' — ω0 is above it: the single-mode model misses a decay channel' : ''}`]);
  const dl = $('#derived');
  dl.replaceChildren(...rows.flatMap(([k, v]) => [el('dt', k), el('dd', v)]));
  $('#tMax-phys').textContent = ` (t_max = ${formatSeconds(state.tMax / w11)})`;
  renderGammaNote();
}

/** The note next to Γ11: where its value comes from in physical mode; the t_max range of the mode. */
function renderGammaNote(): void {
  const note = $('#gamma11-note');
  const nvButton = $<HTMLButtonElement>('#gamma11-nv');
  const physical = state.units === 'physical';
  $('#tMax-range-text').textContent = physical
    ? `in (0, 1e12] /ω11; beyond ${LONG_SPAN}/ω11 the exact method sums the bound states once the continuum is below tol`
    : 'in (0, 2000] /ω11';
  if (!physical) { note.textContent = ''; nvButton.hidden = true; delete note.dataset.source; return; }
  if (gammaFromNv(state)) {
    note.textContent = 'from the NV dipole, 5.3 D at the guide centre (Γ11/ω11 = 4d² sin²(πx0/a) sin²(πy0/b)/(ħε0abc), as qbwave design)';
    note.dataset.source = 'nv';
    nvButton.hidden = true;
  } else {
    note.textContent = `set by hand; an NV centre (5.3 D at the guide centre) gives Γ11 = ${nvGamma11(state).toPrecision(4)} ω11`;
    note.dataset.source = 'manual';
    nvButton.hidden = false;
  }
}

/** 1.48e15 → "1.480 × 10¹⁵". */
function sci(v: number, digits: number): string {
  const [m, e] = v.toExponential(digits - 1).split('e');
  const sup = Number(e).toString().replace(/[-0-9]/g, (c) => '⁻⁰¹²³⁴⁵⁶⁷⁸⁹'['-0123456789'.indexOf(c)]);
  return Number(e) === 0 ? m : `${m} × 10${sup}`;
}

function el(tag: string, text: string, attrs: Record<string, string> = {}): HTMLElement {
  const e = document.createElement(tag);
  e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

// ---------------------------------------------------------------- other controls
function bindOthers(): void {
  // A choice made here replaces a bad value the link had for it (its error is cleared).
  const method = $<HTMLSelectElement>('#method');
  method.addEventListener('change', () => { showError('method', null); state = { ...state, method: method.value as AppState['method'] }; changed(); });
  const compare = $<HTMLSelectElement>('#compare');
  compare.addEventListener('change', () => { showError('compare', null); state = { ...state, compare: compare.value as AppState['compare'] }; changed(); });
  const tolSel = $<HTMLSelectElement>('#tol');
  tolSel.addEventListener('change', () => { showError('tol', null); tol = Number(tolSel.value); changed(); });
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="sweep"]')) {
    r.addEventListener('change', () => { if (r.checked) { showError('sweep', null); state = { ...state, sweep: r.value as AppState['sweep'] }; changed(); } });
  }
  $('#reset').addEventListener('click', () => { tol = DEFAULT_TOL; applyState({ ...DEFAULT_STATE }); });
  $('#copy-link').addEventListener('click', async () => {
    writeUrl();
    const note = $('#share-note');
    try {
      await navigator.clipboard.writeText(location.href);
      note.textContent = 'Link copied to the clipboard.';
    } catch {
      note.textContent = `Copy this link: ${location.href}`;
    }
  });
  const presets = $('#presets');
  for (const p of PRESETS) {
    const b = el('button', p.label, { type: 'button', 'data-preset': p.id, 'data-testid': `preset-${p.id}`, title: p.description });
    b.addEventListener('click', () => applyState(presetState(p, state)));
    presets.append(b);
  }
  $('#results-csv').addEventListener('click', () => {
    if (!shown.point) return;
    download(`qbwave-results-${slug()}.csv`, resultsToCsv(shown.point.boundStates, shown.point.steady, [paramLine(state)]), 'text/csv');
  });
  for (const fig of document.querySelectorAll<HTMLElement>('#pair-mode figure.plot')) {
    const id = fig.dataset.plot as PairFigureId;
    for (const b of fig.querySelectorAll<HTMLButtonElement>('button[data-export]')) {
      b.setAttribute('aria-label', `Download the ${id} plot as ${b.dataset.export!.toUpperCase()}`);
      b.addEventListener('click', () => void exportFigure(id, b.dataset.export as 'csv' | 'png' | 'svg'));
    }
  }
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="mapq"]')) {
    r.addEventListener('change', () => { if (r.checked) { mapQuantity = r.value as MapQuantity; renderMap(); } });
  }
  for (const b of document.querySelectorAll<HTMLButtonElement>('button[data-map-export]')) {
    b.setAttribute('aria-label', `Download the phase diagram as ${b.dataset.mapExport!.toUpperCase()}`);
    b.addEventListener('click', () => void exportMap(b.dataset.mapExport as 'csv' | 'png'));
  }
  $('#mode-pair').addEventListener('click', () => showPairMode());
  $('#mode-scene').addEventListener('click', () => {
    if (mode === 'scene') return;
    const ed = sceneEditor();
    showMode('scene');
    ed.enter(sceneEntered ? ed.current() : sceneFromPair(state, tol));
    sceneEntered = true;
  });
  window.addEventListener('hashchange', () => {
    if (isSceneQuery(location.hash)) {
      const ed = sceneEditor();
      if (mode !== 'scene') showMode('scene');
      sceneEntered = true;
      ed.loadQuery(location.hash);
      return;
    }
    if (mode === 'scene') {
      showMode('pair');
      if (!pairStarted) { pairStarted = true; const q0 = queryToState(location.hash); tol = q0.tol; applyState(q0.state, q0.errors, q0.unknownKeys); return; }
    }
    const q = queryToState(location.hash);
    const bad = Object.keys(q.errors).length > 0 || q.unknownKeys.length > 0;
    if (bad || stateToQuery(q.state) !== stateToQuery(state) || q.tol !== tol) {
      tol = q.tol;
      applyState(q.state, q.errors, q.unknownKeys);
    }
  });
}

/**
 * Puts a whole state into the controls (presets, reset, URL) and recomputes. Bad values of a link
 * (`errors`) highlight their control with the message (a text field keeps the bad text; a select,
 * the radio group or the units checkbox shows the default it fell back to); keys the explorer does
 * not know are named in a notice under the status line.
 */
function applyState(s: AppState, errors: QueryResult['errors'] = {}, unknownKeys: string[] = []): void {
  state = s;
  for (const f of [...MODEL_FIELDS, 'method', 'compare', 'sweep', 'units', 'tol']) showError(f, null);
  for (const f of MODEL_FIELDS) {
    const input = document.getElementById(f) as HTMLInputElement | null;
    if (input) input.value = String(Number(s[f].toPrecision(12)));
    setFieldText(f, s[f]);
  }
  for (const [k, v] of Object.entries(errors)) {
    if (!v) continue;
    const input = document.getElementById(k) as HTMLInputElement | null;
    if (input && (MODEL_FIELDS as string[]).includes(k)) input.value = v.text;
    showError(k, v.error);
  }
  showUrlNotice(unknownKeys);
  showError('lambda0', null);
  showError('dzNm', null);
  $<HTMLSelectElement>('#method').value = s.method;
  $<HTMLSelectElement>('#compare').value = s.compare;
  $<HTMLSelectElement>('#tol').value = String(tol === 1e-8 ? '1e-8' : tol === 1e-5 ? '0.00001' : '0.001');
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name="sweep"]')) r.checked = r.value === s.sweep;
  const box = $<HTMLInputElement>('#physical');
  box.checked = s.units === 'physical';
  $('#physical-panel').hidden = !box.checked;
  syncPhysical();
  changed(true);
}

// ---------------------------------------------------------------- URL
/** Names the keys of the link the explorer does not know (cleared with `[]`). */
function showUrlNotice(unknownKeys: string[]): void {
  const notice = $('#url-notice');
  notice.textContent = unknownKeys.length
    ? `The link has ${unknownKeys.length === 1 ? 'a key' : 'keys'} the explorer does not know, ignored: ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')} (known: ${URL_KEYS.join(', ')}).`
    : '';
}

let urlTimer: ReturnType<typeof setTimeout> | null = null;
function writeUrl(): void {
  if (mode !== 'pair') return; // the scene editor owns the address bar in its mode
  const hash = `#${stateToQuery(state)}${tol !== 1e-3 ? `&tol=${tol}` : ''}`;
  if (location.hash === hash) return;
  try {
    history.replaceState(null, '', hash);
  } catch {
    location.replace(hash); // file:// pages may refuse replaceState
  }
}

// ---------------------------------------------------------------- computation
/**
 * The worker is inlined into the page script (Vite `?worker&inline`: a Blob URL at run time), so the
 * built site also runs from file:// where a page may not load worker files.
 */
const makeWorker = () => new QbwaveWorker({ name: 'qbwave' });

let reqId = 0;
/** What is on screen, and the newest id asked for in each lane. */
const shown: { point: SpectrumPointReply | null; sweep: SweepReply | null; dyn: DynamicsReply | null; dynError: { id: number; message: string } | null } = { point: null, sweep: null, dyn: null, dynError: null };
const asked = { spectrum: -1, dynamics: -1 };
const done = { point: -1, sweep: -1, dynamics: -1, preview: -1 };
let lastSpectrumKey = '';
let lastDynamicsKey = '';
/** performance.now() of the first input not yet reflected on screen, per request id. */
const inputTimes = new Map<number, number>();
let firstInputAt: number | null = null;
/** Input → painted frame with everything at full resolution, per request. */
const latencies: { id: number; ms: number; parts: string }[] = [];
/** Input → first painted frame with every panel updated (dynamics possibly as the coarse preview). */
const firstLatencies: { id: number; ms: number }[] = [];
/** The state each request id was made with (results are labelled with their own parameters). */
const requestStates = new Map<number, AppState>();

const spectrumLane = new Lane({
  name: 'spectrum',
  create: makeWorker,
  isFinal: (r) => r.kind === 'sweep' || r.kind === 'error',
  onReply: (r) => onReply(r),
  cancelAfterMs: 0,
  killAfterMs: 1500,
});
const dynamicsLane = new Lane({
  name: 'dynamics',
  create: makeWorker,
  isFinal: (r) => (r.kind === 'dynamics' && !r.preview) || r.kind === 'error',
  onReply: (r) => onReply(r),
  cancelAfterMs: 120,
  killAfterMs: 400,
});

const mapLane = new Lane({
  name: 'map',
  create: makeWorker,
  isFinal: (r) => (r.kind === 'map' && r.rows === r.spec.ny) || r.kind === 'error',
  onReply: (r) => onReply(r),
  cancelAfterMs: 0,
  killAfterMs: 1500,
});

/** The phase-diagram grid: the ω0 and Δz ranges of the paper's Fig. 4, 66 × 48 cells. */
const MAP_SPEC: MapSpec = { omega0Min: 0.2, omega0Max: 3.5, dzMin: 0.04, dzMax: 3, nx: 66, ny: 48 };
let lastMapKey = '';
let mapAsked = -1;
let mapShown: MapReply | null = null;
let mapQuantity: MapQuantity = 'regime';
let mapView: MapView | null = null;

function sweepSpec(): SweepSpec {
  return state.sweep === 'omega0'
    ? { kind: 'omega0', min: 0.05, max: Math.max(3.5, Math.ceil(state.omega0 * 1.2 * 2) / 2), n: 64 }
    : { kind: 'dz', min: 0, max: Math.max(2, Math.ceil(state.dz * 1.2 * 2) / 2), n: 64 };
}

/** Points of the quick first solve shown while the full grid is computed (and while dragging). */
const PREVIEW_POINTS = 151;

/** Output grid size: ~10 points per 1/ω11, between 401 and 2001. */
function outputPoints(tMax: number): number {
  return Math.min(2001, Math.max(401, Math.round(tMax * 10) + 1));
}

function markStale(): void {
  document.body.dataset.invalid = invalid.size ? 'true' : 'false';
  statusEl.textContent = invalid.size ? 'Fix the highlighted field — the results show the last valid parameters.' : statusEl.textContent;
}

/**
 * Something changed: update the URL and recompute, unless a field holds an invalid value (then the
 * results stay as they are, marked as belonging to the last valid parameters). `force` computes
 * anyway with the state's values (a shared link with a bad value opens on the defaults).
 */
function changed(force = false): void {
  if (firstInputAt === null) firstInputAt = performance.now();
  writeUrlSoon();
  if (state.units === 'physical') renderDerived();
  document.body.dataset.invalid = invalid.size ? 'true' : 'false';
  if (invalid.size) {
    markStale();
    if (!force) return;
  }
  request();
}

function writeUrlSoon(): void {
  if (urlTimer !== null) clearTimeout(urlTimer);
  urlTimer = setTimeout(() => { urlTimer = null; if (!invalid.size) writeUrl(); }, 120);
}

function request(): void {
  const params = modelParams(state);
  const spec = sweepSpec();
  const densities = { omegaMax: densityOmegaMax(state), n: 400 };
  const sKey = JSON.stringify([params, state.threshold, state.tMax, spec, densities]);
  const compare = state.compare === state.method ? 'none' : state.compare;
  const dKey = JSON.stringify([params, state.method, compare, state.tMax, tol]);
  if (sKey === lastSpectrumKey && dKey === lastDynamicsKey) {
    // Nothing to compute (e.g. the sweep axis toggled back); redraw what we have.
    render();
    settle();
    return;
  }
  const id = ++reqId;
  requestStates.set(id, { ...state });
  if (requestStates.size > 64) requestStates.delete(requestStates.keys().next().value!);
  inputTimes.set(id, firstInputAt ?? performance.now());
  firstInputAt = null;
  document.body.dataset.busy = 'true';
  document.body.dataset.requestId = String(id);
  if (sKey !== lastSpectrumKey) {
    lastSpectrumKey = sKey;
    asked.spectrum = id;
    spectrumLane.request({ kind: 'spectrum', id, params, threshold: state.threshold, tMax: state.tMax, sweep: spec, densities });
  }
  if (dKey !== lastDynamicsKey) {
    lastDynamicsKey = dKey;
    asked.dynamics = id;
    const points = outputPoints(state.tMax);
    // Long spans (solveLongTime) cost the same at any t: no coarse preview first.
    dynamicsLane.request({ kind: 'dynamics', id, params, method: state.method, tMax: state.tMax, points, previewPoints: points > 301 && state.tMax <= LONG_SPAN ? PREVIEW_POINTS : 0, tol, compare });
  }
  statusEl.textContent = 'Computing…';
  if (!shown.point) render();
}

/**
 * The map depends on Γ11 and the residue threshold only: ω0 and Δz just move its marker. Asked for
 * from settle(), i.e. after the current point's results are drawn.
 */
function requestMap(): void {
  const key = JSON.stringify([state.gamma11, state.threshold, MAP_SPEC]);
  if (key === lastMapKey) return;
  lastMapKey = key;
  mapAsked = ++reqId;
  document.body.dataset.mapState = 'computing';
  $('#map-status').textContent = 'computing…';
  mapLane.request({ kind: 'map', id: mapAsked, gamma11: state.gamma11, threshold: state.threshold, spec: MAP_SPEC });
}

function renderMap(): void {
  mapView ??= new MapView($('[data-testid="plot-map"]'), $('#map-legend'), (omega0, dz) => applyState({ ...state, omega0, dz }));
  mapView.update(mapShown, mapQuantity, { omega0: state.omega0, dz: state.dz });
  const m = mapShown;
  if (!m) return;
  const complete = m.rows === m.spec.ny && m.id === mapAsked;
  $('#map-status').textContent = complete
    ? `Γ11 = ${formatShort(m.gamma11)} ω11, Z_min = ${formatShort(m.threshold)}: ${m.spec.nx} × ${m.spec.ny} points${m.cached ? ' (cached)' : ` in ${(m.ms / 1000).toFixed(1)} s`}`
    : `computing… ${m.rows} of ${m.spec.ny} rows`;
  document.body.dataset.mapState = complete ? 'done' : 'computing';
  document.body.dataset.mapId = String(m.id);
}

function onReply(r: WorkerReply): void {
  switch (r.kind) {
    case 'map': mapShown = r; renderMap(); break;
    case 'spectrum-point': shown.point = r; done.point = r.id; renderSoon(); break;
    case 'sweep': shown.sweep = r; done.sweep = r.id; renderSoon(); break;
    case 'dynamics':
      shown.dyn = r;
      shown.dynError = null;
      if (r.preview) done.preview = r.id; else done.dynamics = r.id;
      renderSoon();
      break;
    case 'progress': progressBar.style.width = `${Math.round(100 * r.fraction)}%`; break;
    case 'error': onError(r); break;
  }
}

function onError(r: ErrorReply): void {
  if (r.request === 'map') {
    $('#map-status').textContent = `map failed: ${r.message}`;
    document.body.dataset.mapState = 'error';
    return;
  }
  if (r.request === 'dynamics') {
    // A method that cannot handle these parameters (e.g. Markov at ω0 = ω11): say so under the
    // method control; the other plots stay valid.
    shown.dynError = { id: r.id, message: r.message };
    shown.dyn = null;
    done.dynamics = r.id;
  } else {
    done.point = Math.max(done.point, r.id);
    done.sweep = r.id;
    statusEl.textContent = `Error: ${r.message}`;
    if (r.parameter) showError(r.parameter === 'tMax' ? 'tMax' : r.parameter, r.message);
  }
  renderSoon();
}

const renderSoon = frameScheduler(render, settle);

// ---------------------------------------------------------------- rendering
let views: Record<PairFigureId, PlotView> | null = null;
const figures: Partial<Record<PairFigureId, Figure>> = {};

function render(): void {
  views ??= {
    energy: new PlotView($('[data-testid="plot-energy"]')),
    populations: new PlotView($('[data-testid="plot-populations"]')),
    spectrum: new PlotView($('[data-testid="plot-spectrum"]')),
    densities: new PlotView($('[data-testid="plot-densities"]')),
  };
  // Figures show the parameters their data were computed for.
  const sp = shown.point ? stateFor(shown.point.id) : state;
  const dy = shown.dyn ? stateFor(shown.dyn.id) : state;
  figures.energy = energyFigure(dy, shown.dyn, shown.point);
  figures.populations = populationsFigure(dy, shown.dyn);
  figures.spectrum = spectrumFigure(sp, shown.sweep, shown.point);
  figures.densities = densityFigure(sp, shown.point);
  for (const id of Object.keys(views) as PairFigureId[]) views[id].update(figures[id]!);
  renderMap();
  renderResults();
}

function stateFor(id: number): AppState {
  return requestStates.get(id) ?? state;
}

function renderResults(): void {
  const p = shown.point;
  if (!p) return;
  const s = stateFor(p.id);
  resultParamsEl.textContent = `${paramLine(s)}${invalid.size ? ' (last valid parameters)' : ''}`;
  resultParamsEl.dataset.omega0 = String(s.omega0);
  resultParamsEl.dataset.dz = String(s.dz);
  resultParamsEl.dataset.gamma = String(s.gamma11);
  resultsEl.dataset.requestId = String(p.id);
  const rows = p.boundStates.map((b) => {
    const tr = document.createElement('tr');
    tr.dataset.channel = b.channel;
    const ch = el('th', b.channel === '+' ? '+' : '−', { scope: 'row' });
    ch.append(el('span', b.channel === '+' ? ' (symmetric)' : ' (antisymmetric)', { class: 'long' }));
    const e = el('td', `${b.energy.toPrecision(12)}${b.inContinuum ? ' (in continuum)' : ''}`, { 'data-testid': 'bound-state-energy', 'data-channel': b.channel, 'data-value': String(b.energy) });
    const effective = !b.inContinuum && b.residue >= s.threshold;
    const z = el('td', `${b.residue.toPrecision(12)}${!b.inContinuum && !effective ? ' (below Z_min)' : ''}`, { 'data-testid': 'bound-state-residue', 'data-channel': b.channel, 'data-value': String(b.residue) });
    tr.append(ch, e, z);
    return tr;
  });
  if (!rows.length) {
    const tr = document.createElement('tr');
    tr.append(el('td', 'none below the band edge', { colspan: '3' }));
    rows.push(tr);
  }
  boundBody.replaceChildren(...rows);
  const st = p.steady;
  const period = st.frequency > 0 ? 2 * Math.PI / st.frequency : Number.POSITIVE_INFINITY;
  /** ħω11 in eV in physical mode (energies shown in both units), else 0. */
  const ev = s.units === 'physical' ? omega11ElectronVolts(s) : 0;
  const kv: [string, string, string][] = [
    ['bound states M (exact)', String(st.count), 'count'],
    [`effective (Z ≥ ${formatShort(s.threshold)})`, String(st.effectiveCount), 'effective-count'],
    ['regime (paper, Fig. 4a)', st.regime === '2D' ? '2D (two degenerate)' : st.regime, 'regime'],
    ['E(∞) range', `[${fmt(st.energyMin)}, ${fmt(st.energyMax)}] ω11${ev ? ` = [${fmt(st.energyMin * ev)}, ${fmt(st.energyMax * ev)}] eV` : ''}`, 'energy-range'],
    ['W(∞) max', `${fmt(st.ergotropyMax)} ω11${ev ? ` = ${fmt(st.ergotropyMax * ev)} eV` : ''}`, 'ergotropy-max'],
    ['oscillation frequency |E− − E+|', st.frequency > 0 ? `${fmt(st.frequency)} ω11 (period ${fmt(period)} /ω11${s.units === 'physical' ? ` = ${formatSeconds(period / omega11(guideOf(s)))}` : ''})` : 'none (fewer than two bound states)', 'frequency'],
  ];
  steadyEl.replaceChildren(...kv.flatMap(([k, v, id]) => [el('dt', k), el('dd', v, { 'data-testid': id })]));
  const freqEl = steadyEl.querySelector<HTMLElement>('[data-testid="frequency"]');
  if (freqEl) {
    freqEl.dataset.period = String(period);
    if (s.units === 'physical') freqEl.dataset.periodSeconds = String(period / omega11(guideOf(s)));
  }
  for (const n of st.notes) steadyEl.append(el('dt', 'note'), el('dd', n));
  // Dynamics status.
  // While the link's bad method is shown there (until a method is chosen), it stays.
  const methodError = $('#method-error');
  const linkError = invalid.has('method');
  if (shown.dynError) {
    const m = stateFor(shown.dynError.id).method;
    dynStatusEl.textContent = `Dynamics: ${m} failed: ${shown.dynError.message}`;
    dynStatusEl.dataset.status = 'error';
    if (!linkError) methodError.textContent = `${m}: ${shown.dynError.message}`;
  } else if (shown.dyn) {
    if (!linkError) methodError.textContent = '';
    const d = shown.dyn;
    dynStatusEl.dataset.status = d.status;
    const ds = stateFor(d.id);
    const tEnd = d.t[d.t.length - 1] ?? 0;
    const tText = ds.units === 'physical' ? `${fmt(tEnd)} /ω11 = ${formatSeconds(tEnd / omega11(guideOf(ds)))}` : `${fmt(tEnd)} /ω11`;
    dynStatusEl.textContent = `Dynamics: ${d.method}, ${d.t.length} points to t = ${tText}, ${d.status}${d.status === 'success' ? '' : ` — ${d.message}`} (${d.ms.toFixed(0)} ms in the worker)${d.preview ? '; preview, the full grid follows' : ''}`;
    const lt = d.longTime;
    const noteEl = $('#long-time-note');
    const parts: string[] = [];
    if (lt) {
      const tc = lt.continuumTime;
      const tcText = ds.units === 'physical' && Number.isFinite(tc) ? ` = ${formatSeconds(tc / omega11(guideOf(ds)))}` : '';
      parts.push(lt.route === 'bound-states+band-edge'
        ? `Long span: ${d.message}`
        : lt.route === 'bound-states'
        ? `Long span: t > T_c = 0: bound states only (Eq. 7–8); continuum below tol at every t (its total weight bounds it) — ${d.message}`
        : lt.route === 'exact+bound-states' && d.status === 'success'
          ? `Long span: t > T_c = ${fmt(tc)} /ω11${tcText}: bound states only; continuum below tol — ${d.message}`
          : `Long span: ${d.message}`);
      noteEl.dataset.route = lt.route;
      noteEl.dataset.continuumTime = String(tc);
    } else {
      delete noteEl.dataset.route;
    }
    if (d.compareError) parts.push(`Comparison not drawn: ${d.compareError}`);
    noteEl.textContent = parts.join(' ');
  }
}

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : String(v));

const firstPainted = new Set<number>();

/** Called after a frame has been drawn: record latencies and the idle state once everything caught up. */
function settle(): void {
  const id = Math.max(asked.spectrum, asked.dynamics);
  const spectrumCaught = done.point >= asked.spectrum && done.sweep >= asked.spectrum;
  if (spectrumCaught && Math.max(done.dynamics, done.preview) >= asked.dynamics && !firstPainted.has(id)) {
    firstPainted.add(id);
    const t0 = inputTimes.get(id);
    if (t0 !== undefined) firstLatencies.push({ id, ms: performance.now() - t0 });
  }
  const caught = spectrumCaught && done.dynamics >= asked.dynamics;
  if (!caught || spectrumLane.busy || dynamicsLane.busy) return;
  const t0 = inputTimes.get(id);
  if (t0 !== undefined) {
    const ms = performance.now() - t0;
    latencies.push({ id, ms, parts: `${asked.spectrum === id ? 'spectrum' : ''}${asked.dynamics === id ? '+dynamics' : ''}` });
    inputTimes.delete(id);
    const first = firstLatencies.at(-1);
    perfEl.textContent = `Last update: ${first?.id === id ? `${first.ms.toFixed(0)} ms from input to updated plots (preview), ` : ''}${ms.toFixed(0)} ms to full resolution (spectrum worker ${shown.point?.ms.toFixed(0) ?? '?'} ms, sweep ${shown.sweep?.cached ? 'cached' : `${shown.sweep?.ms.toFixed(0) ?? '?'} ms`}, dynamics ${shown.dyn?.ms.toFixed(0) ?? '?'} ms).`;
  }
  progressBar.style.width = '0%';
  // The map starts only once the point's own results are on screen, so it never delays them.
  if (!invalid.size && mode === 'pair') requestMap();
  document.body.dataset.busy = 'false';
  document.body.dataset.renderedId = String(id);
  statusEl.textContent = invalid.size ? 'Fix the highlighted field — the results show the last valid parameters.' : 'Up to date.';
}

// ---------------------------------------------------------------- export
function slug(): string {
  return `w${formatShort(state.omega0, 4)}-dz${formatShort(state.dz, 4)}-g${formatShort(state.gamma11, 4)}`;
}

function download(name: string, data: string | Blob, type: string): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function exportFigure(id: PairFigureId, kind: 'csv' | 'png' | 'svg'): Promise<void> {
  const fig = figures[id];
  if (!fig) return;
  const name = `qbwave-${id}-${slug()}`;
  const sub = `${paramLine(state)}; ${id === 'energy' || id === 'populations' ? `method ${state.method}` : 'Eq. (2), (7)'}`;
  if (kind === 'csv') return download(`${name}.csv`, figureToCsv(fig, [sub, `generated by the qbwave explorer from ${location.href}`]), 'text/csv');
  const svg = figureToSvg(fig, { subtitle: sub });
  if (kind === 'svg') return download(`${name}.svg`, svg, 'image/svg+xml');
  download(`${name}.png`, await svgToPng(svg, 2), 'image/png');
}

async function exportMap(kind: 'csv' | 'png'): Promise<void> {
  const m = mapShown;
  if (!m || !mapView) return;
  const name = `qbwave-phase-diagram-g${formatShort(m.gamma11, 4)}`;
  if (kind === 'png') return download(`${name}.png`, await mapView.png(), 'image/png');
  const head = [
    `phase diagram (Fig. 4a/b): regime = number of effective bound states (2D: degenerate), maxima of W(inf) and E(inf) from Eq. (8); Gamma11 = ${m.gamma11} omega11, Z_min = ${m.threshold}`,
    `${m.rows} of ${m.spec.ny} rows computed; generated by the qbwave explorer from ${location.href}`,
  ];
  download(`${name}.csv`, mapToCsv(m, head), 'text/csv');
}

/** Rasterises an SVG string at `scale` × its size. */
async function svgToPng(svg: string, scale: number): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth * scale;
    canvas.height = img.naturalHeight * scale;
    const ctx = canvas.getContext('2d')!;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    return await new Promise<Blob>((res, rej) => canvas.toBlob((b) => (b ? res(b) : rej(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

// ---------------------------------------------------------------- modes
/** Which page is shown: the paper's charger + battery (pair) or the N-emitter scene editor. */
let mode: 'pair' | 'scene' = 'pair';
/** The pair page computes only once it has been shown (a scene link does not start it). */
let pairStarted = false;
let sceneEntered = false;
let editor: SceneEditor | null = null;

function sceneEditor(): SceneEditor {
  editor ??= createSceneEditor({ makeWorker, statusEl, urlNoticeEl: $('#url-notice') });
  return editor;
}

function showMode(m: 'pair' | 'scene'): void {
  mode = m;
  $('#pair-mode').hidden = m !== 'pair';
  $('#scene-mode').hidden = m !== 'scene';
  $('#mode-pair').setAttribute('aria-pressed', String(m === 'pair'));
  $('#mode-scene').setAttribute('aria-pressed', String(m === 'scene'));
  document.body.dataset.mode = m;
  $('#url-notice').textContent = '';
  if (m === 'scene' && document.body.dataset.mapState === 'computing') {
    // The phase diagram is not on screen: stop it (it is asked for again when the pair page settles).
    mapLane.cancel();
    lastMapKey = '';
    mapAsked = -1;
    document.body.dataset.mapState = 'cancelled';
    $('#map-status').textContent = 'stopped while the scene editor was open';
  }
}

function showPairMode(): void {
  if (mode === 'pair') return;
  showMode('pair');
  if (!pairStarted) {
    pairStarted = true;
    applyState(state);
    return;
  }
  writeUrl();
  statusEl.textContent = invalid.size ? 'Fix the highlighted field — the results show the last valid parameters.' : 'Up to date.';
  if (!invalid.size && document.body.dataset.busy === 'false') requestMap();
}

// ---------------------------------------------------------------- start
declare global {
  interface Window {
    __qbwave: {
      latencies: typeof latencies;
      firstLatencies: typeof firstLatencies;
      state: () => AppState;
      lanes: () => { spectrum: Lane['stats']; dynamics: Lane['stats']; map: Lane['stats'] };
      map: () => MapReply | null;
      mapPick: (x: number, y: number) => { omega0: number; dz: number } | null;
      figures: typeof figures;
      isolated: boolean;
      timings: () => { point: number; sweep: number; sweepCached: boolean; sweepPoints: number; dynamics: number };
    };
  }
}
window.__qbwave = {
  latencies,
  firstLatencies,
  state: () => ({ ...state }),
  lanes: () => ({ spectrum: spectrumLane.stats, dynamics: dynamicsLane.stats, map: mapLane.stats }),
  map: () => mapShown,
  mapPick: (x, y) => mapView?.pick(x, y) ?? null,
  figures,
  isolated: globalThis.crossOriginIsolated === true,
  timings: () => ({
    point: shown.point?.ms ?? Number.NaN,
    sweep: shown.sweep?.ms ?? Number.NaN,
    sweepCached: shown.sweep?.cached ?? false,
    sweepPoints: shown.sweep?.x.length ?? 0,
    dynamics: shown.dyn?.ms ?? Number.NaN,
  }),
};

for (const f of MODEL_FIELDS) bindNumeric(f);
bindPhysical();
bindOthers();
if (isSceneQuery(location.hash || location.search)) {
  showMode('scene');
  sceneEntered = true;
  const q = queryToScene(location.hash || location.search);
  sceneEditor().enter(q.state, q);
} else {
  document.body.dataset.mode = 'pair';
  pairStarted = true;
  applyState(state, fromUrl.errors, fromUrl.unknownKeys);
}
