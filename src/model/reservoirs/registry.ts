import { ParameterError } from '../../errors.js';
import { PARAM_RANGES } from '../params.js';
import { placements, tm11Coupling } from './tm11.js';
import type { EmitterPlacement, Reservoir } from './reservoir.js';

/**
 * The reservoirs a scene can name in `reservoir.type`, each built from its JSON description
 * (docs/reservoirs.md says how to add one). A factory validates the description (ParameterError with
 * the field's path, e.g. `scene.reservoir.modes[1]`) and returns the Reservoir.
 */
export type ReservoirFactory = (spec: Record<string, unknown>, path: string) => Reservoir;

const factories = new Map<string, ReservoirFactory>();

/** Registers a reservoir type (one call per file in src/model/reservoirs/; a second registration replaces the first). */
export function registerReservoir(type: string, factory: ReservoirFactory): void {
  factories.set(type, factory);
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

registerReservoir('waveguide', (spec, path) => {
  rejectUnknownKeys(spec, ['type', 'modes'], path);
  const modes = spec.modes;
  if (modes !== undefined && !(Array.isArray(modes) && modes.length === 1 && modes[0] === 'TM11')) {
    throw new ParameterError('modes', modes, 'must be ["TM11"] (the single-mode guide of the paper)', `${path}.modes`);
  }
  return TM11_GUIDE;
});
