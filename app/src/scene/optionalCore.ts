/**
 * Library modules that other work is still adding (src/battery/bank.ts, src/spectrum/
 * sceneBoundStates.ts), found at build time by Vite's import.meta.glob: a file that does not exist
 * yet gives an empty match, so the explorer builds either way and uses each module from the first
 * build that has it. Imported by the worker only (the Node tests pass these functions directly).
 */
import type { OptionalCore } from './sceneCompute.js';

const modules = import.meta.glob(['../../../src/battery/bank.ts', '../../../src/spectrum/sceneBoundStates.ts'], { eager: true }) as Record<string, Record<string, unknown>>;

function find(name: string): ((...args: never[]) => unknown) | undefined {
  for (const m of Object.values(modules)) if (typeof m[name] === 'function') return m[name] as (...args: never[]) => unknown;
  return undefined;
}

export const OPTIONAL_CORE: OptionalCore = {
  bankSeries: find('bankSeries') as OptionalCore['bankSeries'],
  sceneBoundStates: find('sceneBoundStates') as OptionalCore['sceneBoundStates'],
};

/** Which optional modules this build has (shown in the scene editor's footer). */
export const OPTIONAL_PRESENT: string[] = Object.keys(modules).map((k) => k.replace(/^(\.\.\/)+/, ''));
