/**
 * The grid of the phase-diagram map, shared by the worker (compute.ts) and the page (map.ts) without
 * pulling the core into the page script.
 */
import type { MapSpec } from './protocol.js';

/** Regime labels in the order of their codes in a MapReply. */
export const REGIME_CODES = ['0', '1', '2', '2D'] as const;

/** Column i and row k of the cell holding (ω0, Δz), clamped to the grid. */
export function cellIndex(spec: MapSpec, omega0: number, dz: number): { i: number; k: number } {
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
  return {
    i: clamp(Math.floor(((omega0 - spec.omega0Min) / (spec.omega0Max - spec.omega0Min)) * spec.nx), spec.nx),
    k: clamp(Math.floor(((dz - spec.dzMin) / (spec.dzMax - spec.dzMin)) * spec.ny), spec.ny),
  };
}

/** ω0 (column i) and Δz (row k) of a phase-diagram grid: cell centres of `nx` × `ny` equal cells. */
export function mapAxes(spec: MapSpec): { omega0: Float64Array; dz: Float64Array } {
  const omega0 = new Float64Array(spec.nx);
  const dz = new Float64Array(spec.ny);
  for (let i = 0; i < spec.nx; i++) omega0[i] = spec.omega0Min + ((spec.omega0Max - spec.omega0Min) * (i + 0.5)) / spec.nx;
  for (let k = 0; k < spec.ny; k++) dz[k] = spec.dzMin + ((spec.dzMax - spec.dzMin) * (k + 0.5)) / spec.ny;
  return { omega0, dz };
}
