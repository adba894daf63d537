import { checkNumber, ParameterError } from '../errors.js';
import { PARAM_RANGES } from '../model/params.js';
import { prepareScene, type PreparedScene, type Scene } from '../model/scene.js';
import {
  ASPECT_RANGE, cutoffRatio, MAX_CUTOFF_RANGE, MAX_MODES, modeAmplitude, parseModeName, TRANSVERSE_RANGE, type GuideMode,
} from '../model/reservoirs/multimode.js';
import { sceneBoundStates, type SceneSpectrum } from '../spectrum/sceneBoundStates.js';
import { EFFECTIVE_DEFAULTS, EFFECTIVE_RANGES } from '../spectrum/classification.js';

/**
 * The paper's single-mode guide against the multimode rectangular guide (shared/scenes.md §4; issue 11
 * item 2), for the paper's two-emitter configuration: charger at z = 0 (excited at t = 0), battery at
 * z = Δz, both at ω0 with TM11 rate Γ11 at their transverse position (x, y) (fractions of a, b; default
 * the centre). Units: ω0, Γ11, energies in ω11; Δz in λ11.
 *
 * ## What is compared
 * Both models are solved by the same code (prepareScene → sceneBoundStates): the TM11 guide of Eq. (2)
 * and the guide with every listed TM mode, Γ_mn = Γ_centre·ω_mn·s_mn(x, y)², Γ_centre = Γ11/s_11(x, y)².
 * The steady state follows from the bound states (Eq. 8 generalised, scenes.md §2):
 * c_B(∞, t) = Σ_b a_b e^{−iE_b t}, a_b = α_b,B·α_b,C (C the charger, B the battery), so
 *   E(∞) = ω0|c_B(∞)|² ∈ [ω0·max(0, 2max|a_b| − Σ|a_b|)², ω0(Σ|a_b|)²],
 *   max W(∞) = ω0·max(0, 2(Σ|a_b|)² − 1)                      (Eq. 5; one battery, scenes.md §3).
 * With two bound states the range is exactly ω0(|a+| ∓ |a−|)², the paper's ω0(Z+ ∓ Z−)².
 *
 * ## The bare frequency and the mode list
 * ω0 is the **bare** frequency of Eq. (1) *with the listed modes*. Every added mode shifts the level —
 * a closed mode (cutoff above ω0) by its static self-energy Σ_mn(ω0) < 0 (about −Γ_mn/4 far below the
 * cutoff), an open one by its principal-value shift — and Γ_mn grows like ω_mn, so the summed Lamb shift
 * of all modes diverges (and so does Σ'_mn summed, which pushes the emitters' weight in every bound
 * state to zero: the point-dipole model has no high-frequency cut-off). "How much things change"
 * therefore depends on the mode list, and the study reports it for the stated list only. Two ways to
 * read it: `renormalise: false` (default) compares at equal bare ω0, as the issue defines the
 * multimode scene; `renormalise: true` compares at equal Lamb-shifted ω0 by giving each emitter the
 * bare frequency ω0 − Σ_added,jj(ω0) (its self shift from every added mode: σ below the mode's cutoff,
 * the principal value above), which removes the divergent self shift to first order but not the
 * modes' cross terms, their Σ' (residues) or their decay. At the paper's Γ11 = 0.5ω11 the added modes
 * move the levels by O(ω11); for a real emitter (Γ11 ~ 1e-8 ω11) by O(Γ11).
 */
export interface MultimodeStudyInput {
  /** ω0 of charger and battery, ω11 (bare, see above; with `renormalise` the Lamb-shifted one). */
  omega0: number;
  /** TM11 rate of each emitter at its position, ω11 (the paper's Γ11: 0.5). */
  gamma11: number;
  /** Charger–battery distance, λ11. */
  dz: number;
  /** Aspect ratio b/a of the guide (default 1, square). */
  aspect?: number;
  /** Transverse position of both emitters, fractions of a and b (default 0.5, the centre). */
  x?: number;
  y?: number;
  /**
   * The multimode guide's TM modes: names (e.g. ["TM11", "TM13", "TM31", "TM33"]) or {maxCutoff: c}
   * (every TM mode with cutoff < c·ω11; only those that couple at (x, y) enter the scene, at most
   * MAX_MODES). Default {maxCutoff: defaultMaxCutoff(ω0)} = max(4, ω0 + 1), capped at 20.
   */
  modes?: readonly string[] | { maxCutoff: number };
  /** Compare at equal Lamb-shifted frequency (see above); default false. */
  renormalise?: boolean;
  /** Effective classification (defaults 0.014 and 2000/ω11, as steadyState). */
  residueThreshold?: number;
  observationTime?: number;
}

/** A TM mode of the list at the emitters' position. */
export interface StudyMode {
  name: string;
  m: number;
  n: number;
  /** ω_mn/ω11. */
  cutoff: number;
  /** s_mn(x, y) = sin(mπx)sin(nπy) (exactly 0 or ±1 at the centre). */
  amplitude: number;
  /** s_mn ≠ 0: the mode couples to the emitters. */
  couples: boolean;
  /** cutoff < ω0 (nominal ω0): the mode propagates at the emitters' frequency. */
  open: boolean;
}

/** One bound state as the battery sees it. */
export interface StudyBoundState {
  /** E_b, ω11 (all bound states lie below ω11, the lowest cutoff). */
  energy: number;
  /** α_b,B², the state's weight on the battery (two equal emitters: Z±). */
  batteryWeight: number;
  /** a_b = α_b,B·α_b,C: its signed term in c_B(∞) for the charger excited at t = 0 (Z+ and −Z−). */
  amplitude: number;
}

/** The steady state of one model. */
export interface ModelSteady {
  /** "TM11" or the coupled modes joined by "+", e.g. "TM11+TM13+TM31+TM33+TM15+TM51". */
  modes: string;
  /** The scene solved (bare frequencies of the emitters in it). */
  scene: Scene;
  /** The emitters' bare frequency in this scene, ω11. */
  bareOmega0: number;
  boundStates: StudyBoundState[];
  /** Exact number of bound states; effective count and the regime label ("0", "1", "2", "2D"). */
  count: number;
  effectiveCount: number;
  regime: string;
  /** E(∞) range and max W(∞) (ω11), from the bound states (see the interface comment). */
  energyMin: number;
  energyMax: number;
  ergotropyMax: number;
  status: SceneSpectrum['status'];
  message: string;
}

/** The study's answer: modes, both models and the differences (multimode − single-mode). */
export interface MultimodeStudy {
  input: Required<Omit<MultimodeStudyInput, 'modes'>> & { modes: readonly string[] | { maxCutoff: number } };
  /** Every mode of the list at the emitters' position (with maxCutoff: every TM mode below it, coupled or not), by cutoff. */
  modes: StudyMode[];
  /** Coupled modes with cutoff < ω0 (TM11 included when ω0 > 1). */
  openModes: string[];
  /** The lowest coupled mode of the list with cutoff ≥ ω0 (null if none). */
  nextClosedMode: { name: string; cutoff: number } | null;
  /**
   * First-order effect of the added (non-TM11) modes at ω0 on each emitter, ω11: the self shift
   * Σ_added,jj(ω0) (σ below a cutoff, principal value above; NaN when ω0 sits on an added coupled
   * cutoff), the charger–battery cross term Σ_added,12(ω0), the ± level shifts self ± cross, and the
   * decay rate 2πJ_added,jj(ω0) into the open added modes (0 when none is open).
   */
  addedModes: { selfShift: number; crossShift: number; shiftPlus: number; shiftMinus: number; decayRate: number };
  single: ModelSteady;
  multi: ModelSteady;
  differences: {
    energyMax: number;
    energyMin: number;
    ergotropyMax: number;
    count: number;
    /** E_b(multi) − E_b(single) for the bound states present in both, pairing the k-th lowest. */
    boundStateEnergies: number[];
  };
  notes: string[];
}

/** Default maxCutoff of the study: max(4, ω0 + 1) ω11 (at least TM11, TM13/TM31, TM33 and TM15/TM51 of a square guide), capped at 20. */
export function defaultMaxCutoff(omega0: number): number {
  return Math.min(MAX_CUTOFF_RANGE.max, Math.max(4, omega0 + 1));
}

/** Every TM mode with cutoff < maxCutoff at aspect r, sorted by cutoff, then m (no cap on the count). */
export function allModesBelow(maxCutoff: number, aspect: number): GuideMode[] {
  const out: GuideMode[] = [];
  const ir2 = 1 / (aspect * aspect);
  for (let m = 1; m * m < maxCutoff * maxCutoff * (1 + ir2); m++) {
    for (let n = 1; ; n++) {
      const c = cutoffRatio(m, n, aspect);
      if (!(c < maxCutoff)) break;
      out.push({ m, n, name: `TM${m < 10 && n < 10 ? `${m}${n}` : `${m},${n}`}`, cutoff: c });
    }
  }
  return out.sort((p, q) => p.cutoff - q.cutoff || p.m - q.m);
}

/** The paper's pair as a scene in the given reservoir (charger at 0 excited, battery at Δz). */
function pairScene(reservoir: Scene['reservoir'], omega: number, gamma: number, dz: number, xy: { x: number; y: number } | null): Scene {
  const place = xy && (xy.x !== 0.5 || xy.y !== 0.5) ? { x: xy.x, y: xy.y } : {};
  return {
    reservoir,
    emitters: [
      { z: 0, omega0: omega, gamma, role: 'charger', ...place },
      { z: dz, omega0: omega, gamma, role: 'battery', ...place },
    ],
    initial: [[1, 0], [0, 0]],
  };
}

/** Bound states → steady state of the battery (emitter 1) for the charger (emitter 0) excited. */
function steadyOf(modes: string, prepared: PreparedScene, omega0: number, o: { residueThreshold: number; observationTime: number }): ModelSteady {
  const sp = sceneBoundStates(prepared, o);
  const boundStates = sp.boundStates.map((b) => ({ energy: b.energy, batteryWeight: b.amplitudes[1] ** 2, amplitude: b.amplitudes[0] * b.amplitudes[1] }));
  // Terms of c_B(∞, t): bound states and embedded (decoupled) states, equal energies merged.
  const terms = new Map<number, number>();
  for (const b of boundStates) terms.set(b.energy, (terms.get(b.energy) ?? 0) + b.amplitude);
  for (const e of sp.embedded) terms.set(e.energy, (terms.get(e.energy) ?? 0) + e.amplitudes[0] * e.amplitudes[1]);
  let sum = 0;
  let big = 0;
  for (const a of terms.values()) { sum += Math.abs(a); big = Math.max(big, Math.abs(a)); }
  const low = Math.max(0, 2 * big - sum);
  return {
    modes, scene: prepared.scene, bareOmega0: prepared.omega[0], boundStates,
    count: sp.count, effectiveCount: sp.effectiveCount, regime: sp.regime,
    energyMin: omega0 * low * low, energyMax: omega0 * sum * sum, ergotropyMax: omega0 * Math.max(0, 2 * sum * sum - 1),
    status: sp.status, message: sp.message,
  };
}

/** The single-mode vs multimode comparison at (ω0, Γ11, Δz) (see MultimodeStudyInput). */
export function multimodeStudy(input: MultimodeStudyInput): MultimodeStudy {
  if (input === null || typeof input !== 'object') throw new ParameterError('input', input, 'must be an object {omega0, gamma11, dz, aspect?, x?, y?, modes?, renormalise?}');
  const omega0 = checkNumber('omega0', input.omega0, PARAM_RANGES.omega0, 'input.omega0');
  const gamma11 = checkNumber('gamma11', input.gamma11, PARAM_RANGES.gamma11, 'input.gamma11');
  const dz = checkNumber('dz', input.dz, PARAM_RANGES.dz, 'input.dz');
  const aspect = input.aspect === undefined ? 1 : checkNumber('aspect', input.aspect, ASPECT_RANGE, 'input.aspect');
  const x = input.x === undefined ? 0.5 : checkNumber('x', input.x, TRANSVERSE_RANGE, 'input.x');
  const y = input.y === undefined ? 0.5 : checkNumber('y', input.y, TRANSVERSE_RANGE, 'input.y');
  const renormalise = input.renormalise ?? false;
  if (typeof renormalise !== 'boolean') throw new ParameterError('renormalise', renormalise, 'must be true or false', 'input.renormalise');
  const o = {
    residueThreshold: checkNumber('residueThreshold', input.residueThreshold ?? EFFECTIVE_DEFAULTS.residueThreshold, EFFECTIVE_RANGES.residueThreshold, 'input.residueThreshold'),
    observationTime: checkNumber('observationTime', input.observationTime ?? EFFECTIVE_DEFAULTS.observationTime, EFFECTIVE_RANGES.observationTime, 'input.observationTime'),
  };
  const s11 = modeAmplitude(1, 1, x, y);
  const gammaCentre = gamma11 / (s11 * s11);
  checkNumber('gamma11', gammaCentre, PARAM_RANGES.gamma11, 'input.gamma11');

  // The mode list: names as given, or every TM mode below maxCutoff (the uncoupled ones listed but left out of the scene).
  const modesSpec = input.modes ?? { maxCutoff: defaultMaxCutoff(omega0) };
  let list: GuideMode[];
  if (Array.isArray(modesSpec)) {
    if (modesSpec.length === 0 || modesSpec.length > MAX_MODES) throw new ParameterError('modes', modesSpec, `must list 1 to ${MAX_MODES} TM modes`, 'input.modes');
    list = modesSpec.map((name, i) => parseModeName(name, aspect, `input.modes[${i}]`)).sort((p, q) => p.cutoff - q.cutoff || p.m - q.m);
    const names = list.map((m) => m.name);
    const dup = names.find((nm, i) => names.indexOf(nm) !== i);
    if (dup !== undefined) throw new ParameterError('modes', modesSpec, `lists ${dup} twice`, 'input.modes');
  } else if (modesSpec !== null && typeof modesSpec === 'object') {
    const maxCutoff = checkNumber('maxCutoff', (modesSpec as { maxCutoff?: unknown }).maxCutoff, MAX_CUTOFF_RANGE, 'input.modes.maxCutoff');
    list = allModesBelow(maxCutoff, aspect);
  } else {
    throw new ParameterError('modes', modesSpec, 'must be an array of TM mode names or {maxCutoff: c}', 'input.modes');
  }
  const modes: StudyMode[] = list.map((m) => {
    const amplitude = modeAmplitude(m.m, m.n, x, y);
    return { name: m.name, m: m.m, n: m.n, cutoff: m.cutoff, amplitude, couples: amplitude !== 0, open: m.cutoff < omega0 };
  });
  const coupled = modes.filter((m) => m.couples);
  if (coupled.length === 0) throw new ParameterError('modes', modes.map((m) => m.name), 'no listed mode couples at the emitters\' position (s_mn = 0 for all)', 'input.modes');
  if (coupled.length > MAX_MODES) {
    throw new ParameterError('modes', modesSpec, `gives ${coupled.length} coupled TM modes, more than ${MAX_MODES}; lower maxCutoff or list the modes`, 'input.modes');
  }
  const reservoir = { type: 'waveguide', modes: coupled.map((m) => m.name), aspect };
  const xy = { x, y };

  // The added modes' first-order effect at ω0, from the multimode coupling at the nominal frequency.
  const nominal = prepareScene(pairScene(reservoir, omega0, gammaCentre, dz, xy), 'scene');
  let selfShift = 0;
  let crossShift = 0;
  let decayRate = 0;
  nominal.coupling.components.forEach((c, k) => {
    const w = c.bands[0][0];
    if (w <= 1) return; // TM11: in both models
    const W = nominal.coupling.weights[k];
    const shift = omega0 === w ? Number.NaN : omega0 < w ? c.selfEnergy(omega0) : c.levelShift(omega0);
    selfShift += W[0] * shift;
    crossShift += W[1] * shift;
    if (omega0 > w) decayRate += 2 * Math.PI * W[0] * c.density(omega0);
  });

  let bare = omega0;
  if (renormalise) {
    if (!Number.isFinite(selfShift)) throw new ParameterError('omega0', omega0, `sits on the cutoff of an added coupled mode (${coupled.filter((m) => m.cutoff === omega0).map((m) => m.name).join(', ')}), where its level shift diverges: renormalise needs ω0 off every cutoff`, 'input.omega0');
    bare = omega0 - selfShift;
    checkNumber('omega0', bare, { ...PARAM_RANGES.omega0, unit: `ω11; the renormalised bare frequency ω0 − Σ_added(ω0) = ${bare} must lie in the model's range — list fewer modes` }, 'input.omega0');
  }
  const multiPrepared = renormalise ? prepareScene(pairScene(reservoir, bare, gammaCentre, dz, xy), 'scene') : nominal;
  const single = steadyOf('TM11', prepareScene(pairScene({ type: 'waveguide', modes: ['TM11'] }, omega0, gamma11, dz, null), 'scene'), omega0, o);
  const multi = steadyOf(coupled.map((m) => m.name).join('+'), multiPrepared, omega0, o);

  const openModes = coupled.filter((m) => m.open).map((m) => m.name);
  const closed = coupled.find((m) => !m.open);
  const k = Math.min(single.boundStates.length, multi.boundStates.length);
  const notes: string[] = [
    renormalise
      ? `renormalised: each emitter's bare frequency in the multimode scene is ω0 − Σ_added(ω0) = ${bare.toPrecision(6)}ω11 (the added modes' self shift at ω0 removed to first order); cross terms, residues and decay of the added modes remain`
      : `ω0 = ${omega0}ω11 is the bare frequency of Eq. (1) in both models: the added modes Lamb-shift the levels (self shift ${selfShift.toPrecision(4)}ω11 at ω0); the summed shift of all modes diverges, so the change depends on the mode list (${multi.modes})`,
  ];
  const openAdded = openModes.filter((nm) => nm !== 'TM11');
  if (openAdded.length > 0) notes.push(`modes open at ω0 besides TM11: ${openAdded.join(', ')} — the single-mode model leaves out their decay channel (2πJ = ${decayRate.toPrecision(4)}ω11 per emitter)`);
  if (!Number.isFinite(selfShift)) notes.push(`ω0 sits on the cutoff of ${coupled.filter((m) => m.cutoff === omega0).map((m) => m.name).join(', ')}: J(ω) diverges there (a square-root edge), no first-order shift or rate exists`);
  return {
    input: { omega0, gamma11, dz, aspect, x, y, modes: modesSpec, renormalise, ...o },
    modes,
    openModes,
    nextClosedMode: closed ? { name: closed.name, cutoff: closed.cutoff } : null,
    addedModes: { selfShift, crossShift, shiftPlus: selfShift + crossShift, shiftMinus: selfShift - crossShift, decayRate },
    single,
    multi,
    differences: {
      energyMax: multi.energyMax - single.energyMax,
      energyMin: multi.energyMin - single.energyMin,
      ergotropyMax: multi.ergotropyMax - single.ergotropyMax,
      count: multi.count - single.count,
      boundStateEnergies: Array.from({ length: k }, (_, i) => multi.boundStates[i].energy - single.boundStates[i].energy),
    },
    notes,
  };
}
