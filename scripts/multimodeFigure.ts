/**
 * The figure of docs/reproduction.md's multimode rows: the battery energy E(t) = ω0|c2(t)|² of the
 * paper's pair (Γ11 = 0.5ω11, Δz = 0.1λ11, centred emitters, square guide) in the single-mode model
 * and in the multimode guide (src/studies/multimode.ts, shared/scenes.md §4), above √5ω11:
 *   (a) ω0 = 3.0ω11 (Fig. 2(b)'s "zero bound states" curve): TM11 only; TM11+TM13+TM31 (the modes open at
 *       ω0); every coupled mode below 4ω11 (TM11, TM13, TM31, TM33, TM15, TM51), ω0 the bare frequency;
 *   (b) ω0 = 2.8ω11 (the paper's boundary): TM11 only; the modes below 4ω11 at equal bare ω0; the same at
 *       equal Lamb-shifted ω0 (bare ω0 − Σ_added(ω0), multimodeStudy's `renormalise`).
 * Exact resolvent (solveScene 'exact', absolute tolerance 1e-5 on c1, c2), t = 0 … 100/ω11 in steps of 0.25.
 *
 *   npx tsx scripts/multimodeFigure.ts        # writes docs/figures/multimode_fig2.{svg,png,csv} (≈ 30–60 s)
 *
 * The output is committed; `qbwave figures` does not run this (it runs in CI and must stay fast).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { solveScene } from '../src/dynamics/scene/solve.js';
import { multimodeStudy } from '../src/studies/multimode.js';
import type { Scene } from '../src/model/scene.js';
import { renderPng, renderSvg } from '../cli/sweep/plot.js';
import { numText } from '../cli/sweep/formats.js';
import { VERSION } from '../src/version.js';

const GAMMA = 0.5;
const DZ = 0.1;
const T_MAX = 100;
const DT = 0.25;
const TOL = 1e-5;
const OUT = fileURLToPath(new URL('../docs/figures/multimode_fig2', import.meta.url));

const MODELS = ['TM11 only (the paper)', 'TM11+TM13+TM31 (open at ω0)', 'modes below 4ω11, bare ω0', 'modes below 4ω11, Lamb-shifted ω0'];

interface Curve { panel: string; omega0: number; model: string; modes: string[]; bare: number }

function curves(): Curve[] {
  const list3 = multimodeStudy({ omega0: 3, gamma11: GAMMA, dz: DZ, modes: { maxCutoff: 4 } }).multi.modes.split('+');
  const r28 = multimodeStudy({ omega0: 2.8, gamma11: GAMMA, dz: DZ, modes: { maxCutoff: 4 }, renormalise: true });
  const list28 = r28.multi.modes.split('+');
  return [
    { panel: '(a) ω0 = 3.0ω11', omega0: 3, model: MODELS[0]!, modes: ['TM11'], bare: 3 },
    { panel: '(a) ω0 = 3.0ω11', omega0: 3, model: MODELS[1]!, modes: ['TM11', 'TM13', 'TM31'], bare: 3 },
    { panel: '(a) ω0 = 3.0ω11', omega0: 3, model: MODELS[2]!, modes: list3, bare: 3 },
    { panel: '(b) ω0 = 2.8ω11', omega0: 2.8, model: MODELS[0]!, modes: ['TM11'], bare: 2.8 },
    { panel: '(b) ω0 = 2.8ω11', omega0: 2.8, model: MODELS[2]!, modes: list28, bare: 2.8 },
    { panel: '(b) ω0 = 2.8ω11', omega0: 2.8, model: MODELS[3]!, modes: list28, bare: r28.multi.bareOmega0 },
  ];
}

function energySeries(c: Curve): { t: Float64Array; energy: Float64Array; status: string; error: number } {
  const scene: Scene = {
    reservoir: { type: 'waveguide', modes: c.modes },
    emitters: [{ z: 0, omega0: c.bare, gamma: GAMMA, role: 'charger' }, { z: DZ, omega0: c.bare, gamma: GAMMA, role: 'battery' }],
    initial: [[1, 0], [0, 0]],
  };
  const sol = solveScene({ scene, tMax: T_MAX, dt: DT, tol: TOL }, 'exact');
  const c2 = sol.c[1]!;
  // E = ω0|c2|² with the nominal ω0 (= the bare one except for the Lamb-shifted curve, whose battery frequency is ω0).
  const energy = Float64Array.from(sol.t, (_, i) => c.omega0 * (c2[2 * i]! ** 2 + c2[2 * i + 1]! ** 2));
  return { t: sol.t, energy, status: sol.status, error: sol.errorEstimate };
}

async function main(): Promise<void> {
  const rows: Array<Record<string, number | string>> = [];
  const csv: string[] = [
    `# qbwave multimode figure (scripts/multimodeFigure.ts): E(t) of the paper's pair, single-mode vs multimode guide`,
    `# qbwave-version: ${VERSION}`,
    `# parameters: gamma11=${GAMMA} dz=${DZ} tMax=${T_MAX} dt=${DT} tol=${TOL} method=exact aspect=1 x=y=0.5`,
    '# column panel: which panel; model: mode list and frequency convention; omega0 [omega11]: nominal frequency; bareOmega0 [omega11]: bare frequency in the scene; t [1/omega11]; energy [omega11] = omega0 |c2(t)|^2',
  ];
  const lines = ['panel,model,omega0,bareOmega0,t,energy'];
  for (const c of curves()) {
    const s = energySeries(c);
    process.stderr.write(`${c.panel} ${c.model}: ${s.status}, error estimate ${s.error.toExponential(2)}, E(${T_MAX}) = ${s.energy[s.energy.length - 1]!.toPrecision(4)}\n`);
    if (s.status !== 'success') throw new Error(`${c.panel} ${c.model}: solver status ${s.status}`);
    s.t.forEach((t, i) => {
      rows.push({ panel: c.panel, model: c.model, t, energy: s.energy[i]! });
      lines.push([c.panel, c.model, numText(c.omega0), numText(c.bare), numText(t), numText(s.energy[i]!)].join(','));
    });
  }
  writeFileSync(`${OUT}.csv`, `${[...csv, ...lines].join('\n')}\n`);
  const panel = (name: string) => ({
    title: name,
    width: 360,
    height: 240,
    data: { values: rows.filter((r) => r.panel === name) },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 't (1/ω11)' },
      y: { field: 'energy', type: 'quantitative', title: 'E(t) (ω11)' },
      color: { field: 'model', type: 'nominal', title: null, scale: { domain: MODELS, range: ['#1f5fa8', '#e07b00', '#c8102e', '#2a9d3c'] }, legend: { orient: 'bottom', direction: 'vertical' } },
      strokeDash: { field: 'model', type: 'nominal', scale: { domain: MODELS, range: [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2]] }, legend: null },
    },
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'Battery energy above √5ω11: single-mode vs multimode guide (Γ11 = 0.5ω11, Δz = 0.1λ11, exact)', fontSize: 13, anchor: 'start' },
    config: { font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif', view: { stroke: '#888' }, axis: { grid: false }, legend: { labelLimit: 0 } },
    hconcat: [panel('(a) ω0 = 3.0ω11'), panel('(b) ω0 = 2.8ω11')],
  };
  const svg = await renderSvg(spec);
  writeFileSync(`${OUT}.svg`, svg);
  writeFileSync(`${OUT}.png`, renderPng(svg));
  process.stdout.write(`wrote ${OUT}.svg, .png, .csv\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
