import { checkNumber, ParameterError } from '../../errors.js';
import { PARAM_RANGES } from '../params.js';
import { makeCoupling, type Component, type Coupling, type EmitterPlacement, type Reservoir } from './reservoir.js';
import { placements, retardationGroups, tm11CrossComponent, tm11SelfComponent } from './tm11.js';

/**
 * Multimode rectangular guide (shared/scenes.md §4; issue 11 item 2). A z-polarised dipole couples
 * only to the TM_mn modes (m, n ≥ 1; TE modes have E_z = 0). For a guide of sides a (x) and b (y),
 * aspect r = b/a, the cutoffs in units of ω11 are
 *   ω_mn = √((m² + n²/r²)/(1 + 1/r²))          (square guide: TM13, TM31 at √5, TM33 at 3),
 * and an emitter at the transverse position (x, y) (fractions of a and b) with TM11 rate Γ_j at the
 * centre couples to TM_mn with the amplitude s_mn = sin(mπx) sin(nπy), so
 *   J_jl(ω) = Σ_mn √(Γ_jΓ_l) ω_mn s_mn(j) s_mn(l) · (1/2π) cos(k_mn τ_jl)/√((ω/ω_mn)² − 1),
 * k_mn = √(ω² − ω_mn²), τ_jl = 2π|z_j − z_l| (ω11 = c = 1, z in λ11). Each mode is the TM11 guide
 * with frequencies scaled by ω_mn: writing j11(ω; τ) for the TM11 component density,
 *   j_mn(ω; τ) = j11(ω/ω_mn; ω_mn τ),   φ_mn(t; τ) = ω_mn φ11(ω_mn t; ω_mn τ),
 *   σ_mn(E) = σ11(E/ω_mn),  σ'_mn(E) = σ'11(E/ω_mn)/ω_mn,  δ_mn(ω) = δ11(ω/ω_mn)
 * (the factor ω_mn^{1−p} of ∫ j/(ω − E)^p; substitute ω = ω_mn u). The components are tm11.ts's,
 * wrapped by `scaledComponent`; modes with the same cutoff (TM13 and TM31 in a square guide) share one
 * component, their weights summed. One component per (cutoff, distinct distance), with weight
 * W_jl = √(Γ_jΓ_l) ω_mn Σ_{modes at that cutoff} s_mn(j) s_mn(l); components whose weights all vanish
 * (TM22 seen from the centre: s_22 = 0 exactly) are left out, so the coupling's edges are the cutoffs
 * of the modes that couple to some emitter.
 *
 * Between two cutoffs the closed mode's component is evaluated below its own band: its `levelShift`
 * there returns its (real, regular) self-energy σ_mn(ω), which is what the PV integral equals.
 *
 * ## The bare frequency and the Lamb shift of the closed modes
 * Far below its cutoff a mode shifts an emitter's level by about −Γ_mn/4 (at E/ω_mn → 0 the TM11 self
 * term gives σ = −A(0)/2π = −1/4) and Γ_mn = Γ ω_mn s_mn² grows like ω_mn,
 * so the summed shift of all modes diverges. ω_j is the bare frequency of Eq. (1) *with the listed
 * modes*: adding modes lowers the dressed level. A user who knows the measured (dressed) frequency
 * should compare models at equal dressed frequency — e.g. shift ω_j by the listed closed modes'
 * static shift Σ_mn,jj(ω_j) — rather than at equal bare ω_j. (A built-in "renormalise" option needs a
 * frequency-shift hook in the Reservoir interface and is not provided; docs/reservoirs.md.)
 */

const TWO_PI = 2 * Math.PI;

/** Largest mode index m or n accepted. */
export const MAX_MODE_INDEX = 99;
/** Most modes a guide may list (explicitly or through maxCutoff). */
export const MAX_MODES = 100;
/** The range of `aspect` = b/a. */
export const ASPECT_RANGE = { min: 1e-3, max: 1e3, unit: 'b/a, the guide\'s aspect ratio (cutoffs ω_mn/ω11 = √((m² + n²/r²)/(1 + 1/r²)) stay finite)' } as const;
/** The range of `maxCutoff`, in ω11 (modes with cutoff strictly below it are kept). */
export const MAX_CUTOFF_RANGE = { min: 1, minOpen: true, max: 20, unit: 'ω11; all TM modes with cutoff < maxCutoff' } as const;
/** The range of the transverse fractions x, y. */
export const TRANSVERSE_RANGE = { min: 0, max: 1, minOpen: true, maxOpen: true, unit: 'fraction of the guide side; default 0.5, the centre' } as const;

/** A TM mode with its cutoff in ω11. */
export interface GuideMode { m: number; n: number; name: string; cutoff: number }

/** ω_mn/ω11 = √((m² + n²/r²)/(1 + 1/r²)) for aspect r = b/a (exactly 1 for TM11). */
export function cutoffRatio(m: number, n: number, aspect: number): number {
  const ir2 = 1 / (aspect * aspect);
  return Math.sqrt((m * m + n * n * ir2) / (1 + ir2));
}

/** sin(πv) with exact zeros at integers and exact ±1 at half-integers (so s_22(½, ½) is 0, not 1e-16). */
export function sinPi(v: number): number {
  let r = v - 2 * Math.round(v / 2); // r ∈ [−1, 1], sin(πv) = sin(πr)
  const sign = r < 0 ? -1 : 1;
  r = Math.abs(r);
  if (r === 0 || r === 1) return 0;
  if (r > 0.5) r = 1 - r; // sin(π(1 − r)) = sin(πr)
  return sign * Math.sin(Math.PI * r);
}

/** s_mn(x, y) = sin(mπx) sin(nπy), x and y fractions of a and b. */
export function modeAmplitude(m: number, n: number, x: number, y: number): number {
  return sinPi(m * x) * sinPi(n * y);
}

const NAME = /^TM(\d)(\d)$|^TM(\d+),(\d+)$/;

/** Parses "TM13" or "TM1,12" (path names the field for errors); TE modes and m or n = 0 are refused. */
export function parseModeName(name: unknown, aspect: number, path: string): GuideMode {
  const format = 'a TM mode name "TMmn" (single digits, e.g. "TM13") or "TMm,n" (e.g. "TM1,12"), m, n ≥ 1';
  if (typeof name !== 'string') throw new ParameterError('modes', name, `must be ${format}`, path);
  if (/^TE/i.test(name)) throw new ParameterError('modes', name, 'a z-polarised dipole does not couple to TE modes (E_z = 0); use TM modes, e.g. "TM13"', path);
  const match = NAME.exec(name);
  if (!match) throw new ParameterError('modes', name, `must be ${format}`, path);
  const m = Number(match[1] ?? match[3]);
  const n = Number(match[2] ?? match[4]);
  if (m === 0 || n === 0) throw new ParameterError('modes', name, 'TM modes need m ≥ 1 and n ≥ 1 (TM_m0 and TM_0n do not exist: E_z = 0)', path);
  if (m > MAX_MODE_INDEX || n > MAX_MODE_INDEX) throw new ParameterError('modes', name, `mode indices must be at most ${MAX_MODE_INDEX}`, path);
  return { m, n, name: `TM${m < 10 && n < 10 ? `${m}${n}` : `${m},${n}`}`, cutoff: cutoffRatio(m, n, aspect) };
}

/** All TM modes with cutoff < maxCutoff (ω11), sorted by cutoff, then m. */
export function modesBelow(maxCutoff: number, aspect: number): GuideMode[] {
  const ir2 = 1 / (aspect * aspect);
  const out: GuideMode[] = [];
  for (let m = 1; m * m < maxCutoff * maxCutoff * (1 + ir2); m++) {
    for (let n = 1; ; n++) {
      const c = cutoffRatio(m, n, aspect);
      if (!(c < maxCutoff)) break;
      out.push({ m, n, name: `TM${m < 10 && n < 10 ? `${m}${n}` : `${m},${n}`}`, cutoff: c });
      if (out.length > MAX_MODES) return out;
    }
  }
  return out.sort((p, q) => p.cutoff - q.cutoff || p.m - q.m);
}

/**
 * A TM11 component (tm11.ts, at the scaled retardation ω_mn τ) seen through the scaling to cutoff w:
 * j(ω) = base.j(ω/w), φ(t) = w·base.φ(w t), σ(E) = base.σ(E/w), σ'(E) = base.σ'(E/w)/w, δ(ω) = base.δ(ω/w)
 * above w and base.σ(ω/w) below it (shared/scenes.md §4).
 */
export function scaledComponent(base: Component, w: number, label: string, tau: number): Component {
  const rate = base.kernelRate;
  return {
    label,
    // φ(z)e^{iEz} = w·φ_base(wz)e^{i(E/w)(wz)}: the base's growth bound at (wσ, E/w), times w.
    kernelRate: rate ? (sigma, frame) => w * rate(w * sigma, frame / w) : undefined,
    tmForm: base.tmForm ? { cutoff: w * base.tmForm.cutoff, tau: base.tmForm.tau } : undefined,
    bands: [[w, Number.POSITIVE_INFINITY]],
    edges: [w],
    singularTimes: tau > 0 ? [tau] : [0],
    tail: { power: 1, decay: w / TWO_PI },
    density: (omega) => base.density(omega / w),
    kernel(t, out, o) {
      base.kernel(w * t, out, o);
      out[o] *= w;
      out[o + 1] *= w;
    },
    selfEnergy: (E) => base.selfEnergy(E / w),
    selfEnergyDerivative: (E) => base.selfEnergyDerivative(E / w) / w,
    levelShift: (omega) => (omega > w ? base.levelShift(omega / w) : base.selfEnergy(omega / w)),
  };
}

/**
 * Couples emitters at z (λ11), transverse (x, y) and TM11 rates Γ to the listed modes (see the file
 * comment): one component per (distinct cutoff, distinct distance) with a non-zero weight.
 */
export function multimodeCoupling(
  modes: readonly GuideMode[],
  z: readonly number[], gamma: readonly number[], x: readonly number[], y: readonly number[],
): Coupling {
  const n = z.length;
  const { taus, group } = retardationGroups(z);
  const cutoffs = [...new Set(modes.map((m) => m.cutoff))].sort((a, b) => a - b);
  const components: Component[] = [];
  const weights: Float64Array[] = [];
  for (const w of cutoffs) {
    const at = modes.filter((m) => m.cutoff === w);
    const names = at.map((m) => m.name).join('+');
    // s_mn(j) for each mode at this cutoff
    const s = at.map((m) => z.map((_, j) => modeAmplitude(m.m, m.n, x[j], y[j])));
    const mats = [new Float64Array(n * n), ...taus.map(() => new Float64Array(n * n))];
    for (let j = 0; j < n; j++) {
      for (let l = 0; l < n; l++) {
        let ss = 0;
        for (const sm of s) ss += sm[j] * sm[l];
        const g = j === l ? -1 : group[j * n + l];
        const rate = j === l ? gamma[j] : Math.sqrt(gamma[j] * gamma[l]);
        mats[g + 1][j * n + l] = rate * w * ss;
      }
    }
    mats.forEach((mat, i) => {
      if (mat.every((v) => v === 0)) return;
      const tau = i === 0 ? 0 : taus[i - 1];
      const label = `${names} ${tau === 0 ? 'self' : `τ=${tau}`}`;
      if (w === 1) {
        const base = tau === 0 ? tm11SelfComponent() : tm11CrossComponent(tau);
        // TM11 is the lowest TM mode, so its component is never asked below its band.
        components.push({ ...base, label });
      } else {
        const base = tau === 0 ? tm11SelfComponent() : tm11CrossComponent(w * tau);
        components.push(scaledComponent(base, w, label, tau));
      }
      weights.push(mat);
    });
  }
  return makeCoupling(n, components, weights);
}

/** The checked mode list of a spec's `modes` (names or {maxCutoff}); at least one mode, no repeats. */
export function modeList(modes: unknown, aspect: number, path: string): GuideMode[] {
  let list: GuideMode[];
  if (modes === undefined) list = [parseModeName('TM11', aspect, path)];
  else if (Array.isArray(modes)) {
    if (modes.length === 0 || modes.length > MAX_MODES) throw new ParameterError('modes', modes, `must list 1 to ${MAX_MODES} TM modes, e.g. ["TM11", "TM13", "TM31"]`, path);
    list = modes.map((name, i) => parseModeName(name, aspect, `${path}[${i}]`));
    const seen = new Set<string>();
    list.forEach((m, i) => {
      if (seen.has(m.name)) throw new ParameterError('modes', modes[i], `lists ${m.name} twice`, `${path}[${i}]`);
      seen.add(m.name);
    });
  } else if (modes !== null && typeof modes === 'object') {
    const keys = Object.keys(modes);
    const extra = keys.find((k) => k !== 'maxCutoff');
    if (extra !== undefined) throw new ParameterError(extra, (modes as Record<string, unknown>)[extra], 'is not a known field here; allowed: maxCutoff', `${path}.${extra}`);
    const maxCutoff = checkNumber('maxCutoff', (modes as { maxCutoff?: unknown }).maxCutoff, MAX_CUTOFF_RANGE, `${path}.maxCutoff`);
    list = modesBelow(maxCutoff, aspect);
    if (list.length > MAX_MODES) {
      throw new ParameterError('maxCutoff', maxCutoff, `gives more than ${MAX_MODES} TM modes at aspect ${aspect}; lower it or list the modes`, `${path}.maxCutoff`);
    }
  } else {
    throw new ParameterError('modes', modes, 'must be an array of TM mode names (e.g. ["TM11", "TM13"]) or {"maxCutoff": c} (all TM modes with cutoff < c·ω11)', path);
  }
  return list.sort((p, q) => p.cutoff - q.cutoff || p.m - q.m);
}

/**
 * The multimode guide of `{"type": "waveguide", "modes": [...] | {"maxCutoff": c}, "aspect": r}`
 * (unknown keys are the registry's business). Emitters carry z, gamma and optional x, y.
 */
export function multimodeReservoir(spec: Record<string, unknown>, path = 'scene.reservoir'): Reservoir {
  const aspect = spec.aspect === undefined ? 1 : checkNumber('aspect', spec.aspect, ASPECT_RANGE, `${path}.aspect`);
  const modes = modeList(spec.modes, aspect, `${path}.modes`);
  const shape = aspect === 1 ? 'square guide' : `guide with b/a = ${aspect}`;
  return {
    type: 'waveguide',
    description: `${shape}, ${modes.map((m) => m.name).join('+')}`,
    emitterFields: ['z', 'gamma', 'x', 'y'],
    frequencyRange: { ...PARAM_RANGES.omega0 },
    couple(emitters: readonly EmitterPlacement[], epath = 'scene.emitters') {
      const { z, gamma } = placements(emitters, epath);
      const x = emitters.map((e, j) => (e.x === undefined ? 0.5 : checkNumber('x', e.x, TRANSVERSE_RANGE, `${epath}[${j}].x`)));
      const y = emitters.map((e, j) => (e.y === undefined ? 0.5 : checkNumber('y', e.y, TRANSVERSE_RANGE, `${epath}[${j}].y`)));
      const coupling = multimodeCoupling(modes, z, gamma, x, y);
      if (coupling.components.length === 0) {
        throw new ParameterError('modes', modes.map((m) => m.name), 'none of the listed modes couples to any emitter (s_mn = sin(mπx)sin(nπy) = 0 at every emitter); list a mode that does, e.g. "TM11"', `${path}.modes`);
      }
      return coupling;
    },
  };
}
