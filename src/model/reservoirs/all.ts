/**
 * Every reservoir type a scene can name. Importing this module registers them all (each reservoir
 * file calls registerReservoir when loaded); scene.ts builds reservoirs through it.
 */
import './registry.js';
import './cavityArray.js';
import './table.js';

export {
  reservoirFromSpec, reservoirTypes, registerReservoir, rejectUnknownKeys, reservoirExamples, TM11_GUIDE,
  type ReservoirExample, type ReservoirFactory,
} from './registry.js';
