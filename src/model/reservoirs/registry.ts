import { ParameterError } from '../../errors.js';
import { PARAM_RANGES } from '../params.js';
import { multimodeReservoir } from './multimode.js';
import { placements, tm11Coupling } from './tm11.js';
import type { EmitterPlacement, Reservoir } from './reservoir.js';

/**
 * The reservoirs a scene can name in `reservoir.type`, each built from its JSON description
 * (docs/reservoirs.md says how to add one). A factory validates the description (ParameterError with
 * the field's path, e.g. `scene.reservoir.modes[1]`) and returns the Reservoir.
 */
export type ReservoirFactory = (spec: Record<string, unknown>, path: string) => Reservoir;

/**
 * A small scene that exercises a reservoir type, for the shared conformance test
 * (test/model/reservoirs/conformance.test.ts runs every registered type on its examples:
 * kernel ↔ self-energy, kernel ↔ density, σ' ↔ dσ/dE, level shift ↔ principal value; docs/reservoirs.md).
 * Plain scene JSON: the reservoir object and emitters with omega0, role and the placement fields.
 */
export interface ReservoirExample {
  /** What the example covers, e.g. "three emitters, off-centre, TM11+TM13+TM31". */
  readonly name: string;
  readonly reservoir: Readonly<Record<string, unknown>>;
  readonly emitters: ReadonlyArray<Readonly<Record<string, unknown>>>;
}

const factories = new Map<string, ReservoirFactory>();
const examples = new Map<string, readonly ReservoirExample[]>();

/**
 * Registers a reservoir type (one call per file in src/model/reservoirs/; a second registration
 * replaces the first) with the example scenes the conformance test runs it on (every type needs at
 * least one: the test fails for a type without examples).
 */
export function registerReservoir(type: string, factory: ReservoirFactory, typeExamples: readonly ReservoirExample[] = []): void {
  factories.set(type, factory);
  examples.set(type, typeExamples);
}

/** The example scenes registered with a type (empty for an unknown type or one registered without). */
export function reservoirExamples(type: string): readonly ReservoirExample[] {
  return examples.get(type) ?? [];
}

/** The registered type names, sorted. */
export function reservoirTypes(): string[] {
  return [...factories.keys()].sort();
}

/** Builds the reservoir a scene describes; throws ParameterError naming the field for unknown types or bad fields. */
export function reservoirFromSpec(spec: unknown, path = 'scene.reservoir'): Reservoir {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new ParameterError('reservoir', spec, `must be an object {type, …}; types: ${reservoirTypes().join(', ')}`, path);
  }
  const type = (spec as { type?: unknown }).type;
  const factory = typeof type === 'string' ? factories.get(type) : undefined;
  if (!factory) throw new ParameterError('type', type, `must be one of ${reservoirTypes().map((t) => `"${t}"`).join(', ')}`, `${path}.type`);
  return factory(spec as Record<string, unknown>, path);
}

/** Throws ParameterError for a key of `obj` not in `allowed` (path `${path}.key`). */
export function rejectUnknownKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw new ParameterError(key, obj[key], `is not a known field here; allowed: ${allowed.join(', ')}`, `${path}.${key}`);
  }
}

/** The paper's single-mode guide: {"type": "waveguide", "modes": ["TM11"]} (modes may be omitted). */
export const TM11_GUIDE: Reservoir = {
  type: 'waveguide',
  description: 'TM11 waveguide (single mode, Eq. 2)',
  emitterFields: ['z', 'gamma'],
  frequencyRange: { ...PARAM_RANGES.omega0 },
  couple(emitters: readonly EmitterPlacement[], path = 'scene.emitters') {
    const { z, gamma } = placements(emitters, path);
    return tm11Coupling(z, gamma);
  },
};

/**
 * `{"type": "waveguide"}`: the paper's single-mode guide (TM11_GUIDE, emitters with z and gamma) when
 * `modes` is absent or ["TM11"] and no `aspect` is given; otherwise the multimode guide of
 * multimode.ts (`modes`: TM mode names or {"maxCutoff": c}; `aspect` = b/a, default 1; emitters with
 * z, gamma and optional x, y). solveScene's ± fast path recognises TM11_GUIDE by identity.
 */
registerReservoir('waveguide', (spec, path) => {
  rejectUnknownKeys(spec, ['type', 'modes', 'aspect'], path);
  const modes = spec.modes;
  const singleTm11 = modes === undefined || (Array.isArray(modes) && modes.length === 1 && modes[0] === 'TM11');
  if (singleTm11 && spec.aspect === undefined) return TM11_GUIDE;
  return multimodeReservoir(spec, path);
}, [
  {
    name: 'TM11 guide, three emitters at z = 0, 0.15, 0.4 (scenes.md public table)',
    reservoir: { type: 'waveguide', modes: ['TM11'] },
    emitters: [
      { z: 0, gamma: 0.5, omega0: 1, role: 'charger' },
      { z: 0.15, gamma: 0.5, omega0: 1, role: 'battery' },
      { z: 0.4, gamma: 0.5, omega0: 1, role: 'battery' },
    ],
  },
  {
    name: 'square guide TM11+TM13+TM31+TM33, two emitters off-centre with unequal rates',
    reservoir: { type: 'waveguide', modes: ['TM11', 'TM13', 'TM31', 'TM33'], aspect: 1 },
    emitters: [
      { z: 0, x: 0.45, y: 0.5, gamma: 0.3, omega0: 0.9, role: 'charger' },
      { z: 0.1, x: 0.5, y: 0.6, gamma: 0.5, omega0: 0.95, role: 'battery' },
    ],
  },
  {
    name: 'guide with b/a = 2, all TM modes below 2.1ω11, one emitter centred, one at x = 0.3a',
    reservoir: { type: 'waveguide', modes: { maxCutoff: 2.1 }, aspect: 2 },
    emitters: [
      { z: 0, gamma: 0.4, omega0: 0.9, role: 'charger' },
      { z: 0.25, x: 0.3, y: 0.5, gamma: 0.4, omega0: 0.9, role: 'battery' },
    ],
  },
]);
