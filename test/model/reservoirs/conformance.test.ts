/**
 * The conformance test every reservoir type passes (issue 11 item 1; docs/reservoirs.md; shared/scenes.md §6).
 * It runs for EVERY registered type (reservoirTypes()) on the example scenes registered with it
 * (registerReservoir's third argument, reservoirExamples()), so a new reservoir is picked up by
 * registering it. For each component c of each example's coupling, with independent quadratures
 * (conformanceTools.ts states the methods):
 *  (a) kernel ↔ self-energy: ∫_0^∞ φ_c(t) e^{iEt} dt = iσ_c(E) at an E in the component's gap;
 *  (b) kernel ↔ density: φ_c(t) = ∫ j_c(ω) e^{−iωt} dω at two times;
 *  (c) σ'_c(E) = −dσ_c/dE (fourth-order central differences);
 *  (d) level shift ↔ principal value: δ_c(ω) = PV ∫ j_c/(ω − ω') at frequencies inside the coupling's
 *      bands; where ω lies outside the component's own band (a closed waveguide mode) δ_c(ω) must be
 *      its regular self-energy, checked against the kernel's Laplace transform as in (a).
 * Tolerances: a component's `absoluteError` (numerical reservoirs) is added to each.
 */
import { describe, expect, it } from 'vitest';
import { prepareScene } from '../../../src/model/scene.js';
import { reservoirExamples, reservoirTypes } from '../../../src/model/reservoirs/all.js';
import type { Component, Coupling } from '../../../src/model/reservoirs/reservoir.js';
import { kernelFromDensity, laplaceOfKernel, principalValue } from './conformanceTools.js';

/** Coupling of an example scene (through the scene validator, as the solvers get it). */
function couplingOf(example: { reservoir: Readonly<Record<string, unknown>>; emitters: ReadonlyArray<Readonly<Record<string, unknown>>> }): Coupling {
  return prepareScene({ reservoir: example.reservoir, emitters: example.emitters }).coupling;
}

const inside = (c: Component, w: number): boolean => c.bands.some(([lo, hi]) => w > lo && w < hi);

/** Gap energies of a component: 0.4·s below its lowest band and above a bounded top (s = min(1, width/4)). */
function gapEnergies(c: Component): number[] {
  const [lo0, hi0] = c.bands[0];
  const s = Math.min(1, (hi0 - lo0) / 4);
  const out = [lo0 - 0.4 * s];
  const [loN, hiN] = c.bands[c.bands.length - 1];
  if (Number.isFinite(hiN)) out.push(hiN + 0.4 * Math.min(1, (hiN - loN) / 4));
  return out;
}

/** Frequencies inside the coupling's bands: midpoints between its first edges, and 0.6 above the last edge of an unbounded band. */
function bandFrequencies(k: Coupling): number[] {
  const out: number[] = [];
  for (const [lo, hi] of k.bands) {
    const pts = [lo, ...k.edges.filter((e) => e > lo && e < hi), ...(Number.isFinite(hi) ? [hi] : [])];
    for (let i = 0; i < Math.min(2, pts.length - 1); i++) out.push(pts[i] + 0.35 * (pts[i + 1] - pts[i]));
    if (!Number.isFinite(hi)) out.push(pts[pts.length - 1] + 0.6);
    else out.push(lo + 0.8 * (hi - lo));
  }
  return out;
}

/** Two test times, moved off the singular times. */
function testTimes(c: Component): number[] {
  return [0.9, 4.1].map((t) => {
    let u = t;
    while (c.singularTimes.some((s) => Math.abs(u - s) < 0.3)) u += 0.45;
    return u;
  });
}

const types = reservoirTypes();

describe('every registered reservoir type has conformance examples', () => {
  it.each(types)('%s', (type) => {
    // A type registered without examples would escape every check below.
    expect(reservoirExamples(type).length, `register examples for "${type}" (registerReservoir's third argument)`).toBeGreaterThan(0);
  });
});

for (const type of types) {
  describe(`reservoir "${type}" conformance`, () => {
    for (const example of reservoirExamples(type)) {
      describe(example.name, () => {
        const k = couplingOf(example);
        const phi = new Float64Array(2);

        it('coupling structure: symmetric weights, components\' edges among the coupling\'s, j = 0 outside the bands', () => {
          expect(k.components.length).toBe(k.weights.length);
          for (const w of k.weights) {
            for (let j = 0; j < k.n; j++) for (let l = 0; l < k.n; l++) expect(w[j * k.n + l]).toBe(w[l * k.n + j]);
          }
          for (const c of k.components) {
            for (const e of c.edges) expect(k.edges).toContain(e);
            for (const E of gapEnergies(c)) expect(c.density(E)).toBe(0);
          }
        });

        it('(a) Laplace transform of the kernel = iσ(E) in the gap', () => {
          // Measured ≤ 9.7e-15 relative to max(1, |σ|) on the TM11, multimode, cavity and table
          // components (smooth window, conformanceTools.ts); tolerance 1e-13.
          for (const c of k.components) {
            for (const E of gapEnergies(c)) {
              const L = laplaceOfKernel(c, E);
              const sigma = c.selfEnergy(E);
              const tol = 1e-13 * Math.max(1, Math.abs(sigma)) + 10 * (c.absoluteError ?? 0);
              expect(Math.abs(L.re), `${c.label} Re at E=${E}`).toBeLessThan(tol);
              expect(Math.abs(L.im - sigma), `${c.label} Im at E=${E}: ${L.im} vs σ=${sigma}`).toBeLessThan(tol);
            }
          }
        });

        it('(b) kernel = ∫ j(ω) e^{−iωt} dω', () => {
          // Measured ≤ 6.9e-14 (unbounded bands, smooth window in ω) and ≤ 3.9e-13 (bounded bands,
          // plain quadrature); tolerance 3e-12 absolute (kernels are O(1) at these times).
          for (const c of k.components) {
            for (const t of testTimes(c)) {
              const K = kernelFromDensity(c, t);
              c.kernel(t, phi, 0);
              const tol = 3e-12 + 10 * (c.absoluteError ?? 0);
              expect(Math.hypot(K.re - phi[0], K.im - phi[1]), `${c.label} at t=${t}: (${K.re}, ${K.im}) vs (${phi[0]}, ${phi[1]})`).toBeLessThan(tol);
            }
          }
        });

        it('(c) σ\'(E) = −dσ/dE', () => {
          // Fourth-order central difference with h = 1e-3·d (d = distance to the edge): truncation
          // ~h⁴σ⁽⁵⁾ and rounding ~1e-16|σ|/h; measured ≤ 2.4e-12 relative to max(1, |σ'|), tolerance 2e-11.
          for (const c of k.components) {
            for (const E of gapEnergies(c)) {
              const d = Math.min(...c.bands.flat().filter(Number.isFinite).map((p) => Math.abs(E - p)));
              const h = 1e-3 * d;
              const f = (x: number): number => c.selfEnergy(x);
              const fd = -(-f(E + 2 * h) + 8 * f(E + h) - 8 * f(E - h) + f(E - 2 * h)) / (12 * h);
              const dv = c.selfEnergyDerivative(E);
              expect(Math.abs(dv - fd), `${c.label} at E=${E}: ${dv} vs ${fd}`).toBeLessThan(2e-11 * Math.max(1, Math.abs(dv)) + 10 * (c.absoluteError ?? 0));
            }
          }
        });

        it('(d) level shift = principal value inside the bands (= σ below a closed component\'s band)', () => {
          // Bounded bands: measured ≤ 9.7e-12 (tolerance 1e-10). Unbounded (windowed tail, Richardson
          // in the window's width): measured ≤ 3.4e-10 (tolerance 3e-9). Below the component's band:
          // the Laplace route of (a), measured ≤ 1.3e-14 (tolerance 1e-13).
          for (const w of bandFrequencies(k)) {
            for (const c of k.components) {
              const delta = c.levelShift(w);
              const extra = 10 * (c.absoluteError ?? 0);
              if (inside(c, w)) {
                const bounded = c.bands.every(([, hi]) => Number.isFinite(hi));
                const pv = principalValue(c, w);
                expect(Math.abs(delta - pv), `${c.label} at ω=${w}: δ=${delta} vs PV=${pv}`).toBeLessThan((bounded ? 1e-10 : 3e-9) + extra);
              } else if (!c.bands.some(([lo, hi]) => w >= lo && w <= hi)) {
                const L = laplaceOfKernel(c, w);
                expect(Math.abs(delta - L.im), `${c.label} at ω=${w} (below its band): δ=${delta} vs ${L.im}`).toBeLessThan(1e-13 * Math.max(1, Math.abs(delta)) + extra);
              }
            }
          }
        });
      });
    }
  });
}
