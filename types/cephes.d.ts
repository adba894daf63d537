/**
 * The few Cephes functions qbwave uses. The `cephes` package ships index.d.ts but its package.json
 * "exports" map has no "types" condition, so NodeNext resolution cannot see it; this ambient
 * declaration stands in.
 */
declare module 'cephes' {
  /** Resolves once the WebAssembly module is ready (await before the first call). */
  export const compiled: Promise<void>;
  export function k0(x: number): number;
  export function k1(x: number): number;
}
