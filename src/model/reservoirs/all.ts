/**
 * Every reservoir type a scene can name. Importing this module registers them all (each reservoir
 * file calls registerReservoir when loaded); scene.ts builds reservoirs through it.
 */
import './registry.js';

export { reservoirFromSpec, reservoirTypes, registerReservoir, rejectUnknownKeys, TM11_GUIDE } from './registry.js';
