/**
 * End-to-end tests of the explorer's scene editor (app/src/scene/, issue 13 item 6) in Chromium, as
 * explorer.test.ts does for the two-emitter page: build with Vite, serve, drive the page through
 * playwright-core. Numbers on the page are checked against the scenes.md reference table
 * (independent code) and against the same core run in Node (solveScene), which the worker runs too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildSite, launchChromium, serve } from './helpers.js';
import { assertClose } from '../helpers.js';
import { emitter, queryToScene, toLibraryScene, type SceneState } from '../../app/src/scene/sceneState.js';
import { solveScene } from '../../src/dynamics/scene/solve.js';

let browser: Browser;
let site: Awaited<ReturnType<typeof buildSite>>;
let server: Awaited<ReturnType<typeof serve>>;
/** One page shared by the tests that start from a scene link (each new page costs two worker start-ups). */
let shared: Page;
const pageErrors: string[] = [];

/** Waits until the scene editor's workers are idle and the screen shows the newest request. */
async function settled(p: Page): Promise<void> {
  await p.waitForFunction(() => document.body.dataset.sceneBusy === 'false' && document.body.dataset.sceneRenderedId === document.body.dataset.sceneRequestId, undefined, { timeout: 30_000 });
}

async function open(hash: string): Promise<Page> {
  const p = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  p.on('pageerror', (e) => pageErrors.push(e.message));
  p.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`); });
  await p.goto(server.url + hash);
  return p;
}

/** The page's figures as plain arrays. */
async function figure(p: Page, id: string): Promise<{ x: number[]; labels: string[]; values: number[][] }> {
  return p.evaluate((fid) => {
    const f = (window as unknown as { __qbwaveScene: { figures: Record<string, { x: ArrayLike<number>; series: { label: string; values: ArrayLike<number> }[] }> } }).__qbwaveScene.figures[fid];
    return { x: Array.from(f.x), labels: f.series.map((s) => s.label), values: f.series.map((s) => Array.from(s.values)) };
  }, id);
}

async function boundEnergies(p: Page): Promise<number[]> {
  return p.evaluate(() => [...document.querySelectorAll<HTMLElement>('[data-testid="scene-bound-energy"]')].map((e) => Number(e.dataset.value)));
}

async function boundAmplitudes(p: Page): Promise<number[][]> {
  return p.evaluate(() => [...document.querySelectorAll<HTMLElement>('[data-testid="scene-bound-energy"]')].map((e) => JSON.parse((e.nextElementSibling as HTMLElement).dataset.value!) as number[]));
}

/** The populations |c_j(t)|² Node computes for the page's current scene (same core, same grid). */
async function nodePopulations(p: Page): Promise<{ scene: SceneState; pops: number[][] }> {
  const scene = await p.evaluate(() => (window as unknown as { __qbwaveScene: { state: () => unknown } }).__qbwaveScene.state()) as SceneState;
  const f = await figure(p, 'scene-populations');
  const sol = solveScene({ scene: toLibraryScene(scene), tMax: scene.tMax, dt: f.x[1] - f.x[0], tol: scene.tol }, scene.method);
  return { scene, pops: sol.c.map((c) => Array.from({ length: sol.t.length }, (_, i) => c[2 * i] ** 2 + c[2 * i + 1] ** 2)) };
}

/**
 * Worker (Chromium's V8) and Node run the same core on the same grid: equal to rounding. 1e-12 allows a
 * different libm in Math.exp/cos, not a different computation.
 */
async function expectSameAsNode(p: Page): Promise<void> {
  const f = await figure(p, 'scene-populations');
  const { pops } = await nodePopulations(p);
  expect(f.values.length).toBe(pops.length);
  for (let j = 0; j < pops.length; j++) for (let i = 0; i < f.x.length; i += 37) assertClose(f.values[j][i], pops[j][i], 1e-12, `|c${j + 1}|² at t = ${f.x[i]}`);
}

const DEFAULT_LINK = '#scene=1&res=tm11&em=c,0,1,0.5;b,0.1,1,0.5&tmax=60&method=exact&tol=0.001';

/** Types a link into the address bar of an open page (hashchange) and waits for its results. */
async function goto(p: Page, hash: string): Promise<void> {
  await p.evaluate((h) => new Promise<void>((res) => {
    if (location.hash === h) { res(); return; }
    // Listeners run in order: the page's own handler (registered first) has loaded the link when this one runs.
    addEventListener('hashchange', () => res(), { once: true });
    location.hash = h;
  }), hash);
  await settled(p);
}

describe('scene editor (app/src/scene)', () => {
  beforeAll(async () => {
    const launched = launchChromium();
    launched.catch(() => undefined);
    site = await buildSite();
    server = await serve(site.outDir);
    browser = (await launched).browser;
    shared = await open(DEFAULT_LINK);
  });

  afterAll(async () => {
    await shared?.close();
    await browser?.close();
    await server?.close();
    site?.cleanup();
  });

  it('a scene link opens the editor: the guide strip with role-shaped markers, the bound states of scenes.md, the bank curves', async () => {
    const p = shared;
    {
      await settled(p);
      await expect(p.locator('[data-testid="scene-mode"]').isVisible()).resolves.toBe(true);
      await expect(p.locator('#pair-mode').isVisible()).resolves.toBe(false);
      // Chargers are squares, batteries circles (not colour alone).
      await expect(p.locator('[data-testid="scene-marker-0"] rect').count()).resolves.toBe(1);
      await expect(p.locator('[data-testid="scene-marker-1"] rect').count()).resolves.toBe(0);
      await expect(p.locator('[data-testid="scene-marker-1"] circle').count()).resolves.toBeGreaterThan(0);
      // scenes.md reference (independent code; energies ~1e-12, amplitudes ~1e-10).
      const e = await boundEnergies(p);
      expect(e.length).toBe(2);
      assertClose(e[0], 0.620272288437, 2e-12, 'E1 vs scenes.md');
      assertClose(e[1], 0.908066164810, 2e-12, 'E2 vs scenes.md');
      const a = await boundAmplitudes(p);
      // Amplitudes are defined up to an overall sign per state.
      const s0 = Math.sign(a[0][0]), s1 = Math.sign(a[1][0]);
      assertClose(s0 * a[0][0], 0.5460489275, 2e-10, 'α1 of E1');
      assertClose(s0 * a[0][1], 0.5460489275, 2e-10, 'α2 of E1');
      assertClose(s1 * a[1][0], 0.6742537459, 2e-10, 'α1 of E2');
      assertClose(s1 * a[1][1], -0.6742537459, 2e-10, 'α2 of E2');
      await expect(p.locator('[data-testid="scene-dyn-status"]').innerText()).resolves.toMatch(/Dynamics: exact, 601 points .*success/);
      // One battery: the bank's E = ω|c2|², W = ω·max(0, 2|c2|² − 1) (scenes.md §3), Σ local W = W.
      const pop = await figure(p, 'scene-populations');
      const bank = await figure(p, 'scene-bank');
      expect(bank.labels).toEqual(['E bank = Σ ω_b|c_b|²', 'W bank (collective)', 'Σ local W_b']);
      for (let i = 0; i < pop.x.length; i += 10) {
        const p2 = pop.values[1][i];
        assertClose(bank.values[0][i], p2, 1e-15, `E(t = ${pop.x[i]})`);
        assertClose(bank.values[1][i], Math.max(0, 2 * p2 - 1), 1e-15, `W(t = ${pop.x[i]})`);
        assertClose(bank.values[2][i], Math.max(0, 2 * p2 - 1), 1e-15, `Σ local W(t = ${pop.x[i]})`);
      }
      await expectSameAsNode(p);
      // The three plots are drawn (ink on each canvas).
      const inked = await p.evaluate(() => [...document.querySelectorAll<HTMLCanvasElement>('.scene-plot-host canvas')].map((c) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && !(d[i] > 240 && d[i + 1] > 240 && d[i + 2] > 240)) n++;
        return n / (c.width * c.height);
      }));
      expect(inked).toHaveLength(3);
      for (const f of inked) expect(f).toBeGreaterThan(0.005);
      // Readable on a phone without sideways scrolling (the wide emitter table scrolls inside its box).
      await p.setViewportSize({ width: 390, height: 844 });
      await p.waitForTimeout(100);
      expect(await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 'horizontal overflow at 390 px').toBeLessThanOrEqual(0);
      await p.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('from the two-emitter page: the mode switch carries the parameters; add an emitter, change a field, and the plots update', async () => {
    // t_max = 20 keeps the three-emitter solves short; the scene takes it over from the pair page.
    const p = await open('#omega0=1.2&dz=0.15&gamma=0.5&tmax=20');
    try {
      await p.waitForFunction(() => document.body.dataset.busy === 'false');
      await p.click('[data-testid="mode-scene"]');
      await settled(p);
      await p.waitForFunction(() => location.hash.startsWith('#scene=1&'));
      const s = queryToScene(new URL(p.url()).hash);
      expect(s.errors).toEqual([]);
      expect(s.state.emitters).toEqual([emitter('charger', { z: 0, omega0: 1.2, gamma: 0.5 }), emitter('battery', { z: 0.15, omega0: 1.2, gamma: 0.5 })]);
      await expectSameAsNode(p);
      // Add a battery: a third row, marker and curve.
      await p.click('[data-testid="scene-add-battery"]');
      await settled(p);
      await expect(p.locator('#scene-body tr').count()).resolves.toBe(3);
      await expect(p.locator('[data-testid="scene-marker-2"] circle').count()).resolves.toBeGreaterThan(0);
      expect(queryToScene(new URL(p.url()).hash).state.emitters[2]).toEqual(emitter('battery', { z: 0.25, omega0: 1.2, gamma: 0.5 }));
      const status = await p.locator('[data-testid="scene-dyn-status"]').innerText();
      if (/success/.test(status)) {
        // The general N-emitter path has landed: three curves, equal to Node's solveScene; Σ|c_j|² ≤ 1.
        expect((await figure(p, 'scene-populations')).labels).toHaveLength(3);
        await expectSameAsNode(p);
        const f = await figure(p, 'scene-populations');
        for (let i = 0; i < f.x.length; i++) expect(f.values[0][i] + f.values[1][i] + f.values[2][i]).toBeLessThanOrEqual(1 + 1e-3);
      } else {
        // Not yet: the solver's message is shown next to the method and in the status, not hidden.
        expect(status).toMatch(/exact failed: .+/);
        await expect(p.locator('[data-testid="scene-method-error"]').innerText()).resolves.toMatch(/^exact: .+/);
      }
      // Remove it again, then change a field: the battery's z. The curves move and equal Node's.
      await p.click('[data-testid="scene-e2-remove"]');
      await settled(p);
      const before = await figure(p, 'scene-populations');
      await p.fill('[data-testid="scene-e1-z"]', '0.3');
      await settled(p);
      const after = await figure(p, 'scene-populations');
      expect(after.labels).toHaveLength(2);
      let moved = 0;
      for (let i = 0; i < after.x.length; i++) moved = Math.max(moved, Math.abs(after.values[1][i] - before.values[1][i]));
      expect(moved).toBeGreaterThan(0.01);
      await expectSameAsNode(p);
      expect(queryToScene(new URL(p.url()).hash).state.emitters[1].z).toBe(0.3);
      // Back to the two-emitter page: its own link again.
      await p.click('[data-testid="mode-pair"]');
      await p.waitForFunction(() => location.hash.includes('omega0=1.2') && !location.hash.includes('scene='));
      await expect(p.locator('#pair-mode').isVisible()).resolves.toBe(true);
    } finally {
      await p.close();
    }
  });

  it('markers drag along z (pointer and arrow keys) and the URL round-trips the whole scene', async () => {
    const p = shared;
    await goto(p, DEFAULT_LINK);
    {
      // Keyboard: a focused marker moves 0.01 λ11 per arrow press.
      await p.focus('[data-testid="scene-marker-1"]');
      await p.keyboard.press('ArrowRight');
      await p.keyboard.press('ArrowRight');
      await settled(p);
      await expect(p.locator('[data-testid="scene-e1-z"]').inputValue()).resolves.toBe('0.12');
      // Pointer: drag the battery 20 % of the strip to the right.
      const box = (await p.locator('[data-testid="scene-marker-1"]').boundingBox())!;
      const strip = (await p.locator('[data-testid="scene-strip-svg"]').boundingBox())!;
      const [a, b] = (await p.locator('[data-testid="scene-strip-svg"]').getAttribute('data-view'))!.split(',').map(Number);
      const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
      const dx = 0.2 * strip.width;
      await p.mouse.move(cx, cy);
      await p.mouse.down();
      await p.mouse.move(cx + dx / 2, cy, { steps: 4 });
      await p.mouse.move(cx + dx, cy, { steps: 4 });
      await p.mouse.up();
      await settled(p);
      const z = Number(await p.locator('[data-testid="scene-e1-z"]').inputValue());
      // 0.2 of the strip is 200 of its 1000 view-box units; the z range b − a spans 920 of them (40-unit margins).
      assertClose(z, 0.12 + 0.2 * (b - a) * (1000 / 920), 0.003, 'z after the drag (rounded to 0.001, ± a pixel)');
      // Other fields: t_max (first: short solves from here on), method, a third emitter, loss, role, excited emitter.
      await p.fill('[data-testid="scene-tmax"]', '20');
      await p.selectOption('[data-testid="scene-method"]', 'volterra');
      await p.click('[data-testid="scene-add-charger"]');
      await p.fill('[data-testid="scene-e1-loss"]', '0.002');
      await p.selectOption('[data-testid="scene-e2-role"]', 'battery');
      await p.check('[data-testid="scene-e2-init"]');
      await settled(p);
      await p.waitForFunction(() => location.hash.includes('tmax=20') && location.hash.includes('method=volterra') && location.hash.includes('init=3'));
      const hash = new URL(p.url()).hash;
      const parsed = queryToScene(hash);
      const shownState = await p.evaluate(() => (window as unknown as { __qbwaveScene: { state: () => unknown } }).__qbwaveScene.state()) as SceneState;
      expect(parsed.errors).toEqual([]);
      expect(parsed.unknownKeys).toEqual([]);
      expect(parsed.state).toEqual(shownState);
      expect(parsed.state.emitters.map((e) => e.role)).toEqual(['charger', 'battery', 'battery']);
      expect(parsed.state.emitters[1].loss).toBe(0.002);
      expect(parsed.state.initial).toEqual({ kind: 'emitter', index: 2 });
      // The copied link opens the same scene in a new page.
      const q = await open(hash);
      try {
        await settled(q);
        const other = await q.evaluate(() => (window as unknown as { __qbwaveScene: { state: () => unknown } }).__qbwaveScene.state()) as SceneState;
        expect(other).toEqual(shownState);
        for (const id of ['scene-e1-z', 'scene-e1-loss', 'scene-e2-omega0', 'scene-tmax']) {
          await expect(q.locator(`[data-testid="${id}"]`).inputValue(), id).resolves.toBe(await p.locator(`[data-testid="${id}"]`).inputValue());
        }
        await expect(q.locator('[data-testid="scene-method"]').inputValue()).resolves.toBe('volterra');
        expect(new URL(q.url()).hash).toBe(hash);
      } finally {
        await q.close();
      }
    }
  });

  it('reservoir selector (issue 11 item 5): cavity array and a tabulated band give the scenes.md bound states, J(ω) marks every edge, and the TM11 validity warning', async () => {
    const p = shared;
    await goto(p, DEFAULT_LINK);
    {
      // Cavity array ωc = 0, J = 1, neighbouring sites, ω0 = 0.5, g = 0.3 (scenes.md: exact diagonalisation).
      await p.selectOption('[data-testid="scene-reservoir"]', 'cavity');
      await settled(p);
      await expect(p.locator('#scene-head').innerText()).resolves.toMatch(/site.*g/s);
      for (const j of [0, 1]) await p.fill(`[data-testid="scene-e${j}-omega0"]`, '0.5');
      await settled(p);
      await p.waitForFunction(() => location.hash.includes('res=ca&wc=0&hop=1&em=c,0,0.5,0.3;b,1,0.5,0.3'));
      const ref: Array<[number, number]> = [[-2.001249737184, 0.0221469314], [2.003381396547, 0.0466493300]];
      const check = async (what: string, tolE: number, tolA: number) => {
        const e = await boundEnergies(p);
        const a = await boundAmplitudes(p);
        expect(e.length, what).toBe(2);
        ref.forEach(([E, alpha], k) => {
          assertClose(e[k], E, tolE, `${what}: E${k + 1}`);
          for (const v of a[k]) assertClose(Math.abs(v), alpha, tolA, `${what}: |α| of E${k + 1}`);
        });
      };
      // Closed forms: energies ~1e-12, amplitudes ~1e-10 in the reference.
      await check('cavity array', 1e-11, 1e-9);
      const dens = await p.evaluate(() => (window as unknown as { __qbwaveScene: { figures: Record<string, { vlines: { x: number; label: string }[] }> } }).__qbwaveScene.figures['scene-density'].vlines.filter((v) => v.label.startsWith('band edge')).map((v) => v.x));
      expect(dens).toEqual([-2, 2]);
      await expect(p.locator('[data-testid="scene-dyn-status"]').innerText()).resolves.toMatch(/exact, .*success/);
      await expectSameAsNode(p);
      // The same band uploaded as a table: ω = −2cos k on k ∈ [0, π], |g|² = 1, emitters at z = 0, 1 with scale s = g² = 0.09.
      await p.selectOption('[data-testid="scene-reservoir"]', 'table');
      const rows = Array.from({ length: 81 }, (_, i) => { const k = (Math.PI * i) / 80; return `${k},${-2 * Math.cos(k)},1`; });
      await p.setInputFiles('[data-testid="scene-table-file"]', { name: 'cavity-band.csv', mimeType: 'text/csv', buffer: Buffer.from(`k,omega,coupling\n${rows.join('\n')}\n`) });
      await p.waitForFunction(() => document.querySelector('[data-testid="scene-res-info"]')!.textContent!.includes('cavity-band.csv: 81 rows'));
      for (const j of [0, 1]) { await p.fill(`[data-testid="scene-e${j}-z"]`, String(j)); await p.fill(`[data-testid="scene-e${j}-gamma"]`, '0.09'); }
      await settled(p);
      // Issue 11: a tabulated band reproduces the closed form's bound states to 1e-8 — or, while the
      // library cannot yet (no 'table' type in this build, or its bound states fail), its message is
      // on the page, never a silent empty table.
      const resError = await p.locator('[data-testid="scene-res-error"]').innerText();
      const note = p.locator('[data-testid="scene-bound-note"]');
      if (resError) {
        console.log(`[e2e] this build has no 'table' reservoir; the page says: ${resError}`);
        expect(resError).toMatch(/scene\.reservoir\.type = "table" is not allowed/);
      } else if ((await note.getAttribute('data-status')) === 'error') {
        const text = await note.innerText();
        console.log(`[e2e] the tabulated band's bound states failed in the library, shown as: ${text}`);
        expect(text).toMatch(/bound states failed: .+/);
      } else {
        await check('table', 1e-8, 1e-8);
      }
      // TM11 guide above √5 ω11: the validity warning; the multimode guide with TM13/TM31 listed: none.
      await p.selectOption('[data-testid="scene-reservoir"]', 'tm11');
      await expect(p.locator('#scene-head').innerText()).resolves.toMatch(/z.*Γ/s);
      for (const j of [0, 1]) await p.fill(`[data-testid="scene-e${j}-omega0"]`, '2.5');
      await p.fill('[data-testid="scene-e0-gamma"]', '0.5');
      await p.fill('[data-testid="scene-e1-gamma"]', '0.5');
      await expect(p.locator('[data-testid="scene-validity"]').innerText()).resolves.toMatch(/C1, B2: ω0 = 2\.5 ω11 is above the TM13\/TM31 cutoff √5 ≈ 2\.236 ω11/);
      await p.selectOption('[data-testid="scene-reservoir"]', 'multimode');
      await expect(p.locator('[data-testid="scene-res-info"]').innerText()).resolves.toMatch(/TM11 1, TM13 2\.236, TM31 2\.236, TM33 3/);
      await expect(p.locator('[data-testid="scene-validity"]').innerText()).resolves.toBe('');
      // A mode a z dipole cannot couple to: the library's message next to the reservoir.
      await p.fill('[data-testid="scene-modes"]', 'TM11, TE10');
      await expect(p.locator('[data-testid="scene-res-error"]').innerText()).resolves.toMatch(/scene\.reservoir\.modes\[1\] = "TE10" is not allowed: a z-polarised dipole does not couple to TE modes/);
      await p.fill('[data-testid="scene-modes"]', 'TM11');
      await expect(p.locator('[data-testid="scene-validity"]').innerText()).resolves.toMatch(/above the cutoff 2\.236 ω11 of TM1,3/);
      await settled(p);
    }
  });

  it('bad values show their message next to the field; bad links show a visible message and a working page', async () => {
    const p = shared;
    await goto(p, DEFAULT_LINK);
    {
      const before = await figure(p, 'scene-populations');
      // Not a number: the editor's own check.
      await p.fill('[data-testid="scene-e1-loss"]', 'abc');
      await expect(p.locator('#scene-e1-loss-error').innerText()).resolves.toMatch(/scene\.emitters\[1\]\.loss: "abc" is not a number/);
      await expect(p.locator('[data-testid="scene-e1-loss"]').getAttribute('aria-invalid')).resolves.toBe('true');
      // Out of range: prepareScene's ParameterError, its path naming the field.
      await p.fill('[data-testid="scene-e1-loss"]', '-1');
      await expect(p.locator('#scene-e1-loss-error').innerText()).resolves.toMatch(/^scene\.emitters\[1\]\.loss = -1 is not allowed: .*\[0, 5\]/);
      await p.fill('[data-testid="scene-e0-omega0"]', '11');
      // One message at a time: prepareScene stops at the first bad field (emitter 0 before emitter 1).
      await expect(p.locator('#scene-e0-omega0-error').innerText()).resolves.toMatch(/^scene\.emitters\[0\]\.omega0 = 11 is not allowed: .*\(0, 10\]/);
      await expect(p.locator('#scene-e1-loss-error').innerText()).resolves.toBe('');
      await p.fill('[data-testid="scene-e0-omega0"]', '1');
      await expect(p.locator('#scene-e1-loss-error').innerText()).resolves.toMatch(/loss = -1 is not allowed/);
      await expect(p.locator('#scene-e0-omega0-error').innerText()).resolves.toBe('');
      await p.fill('[data-testid="scene-e1-loss"]', '0');
      await settled(p);
      await expect(p.locator('#scene-e1-loss-error').innerText()).resolves.toBe('');
      // A scene without a battery: the message names the emitters.
      await p.selectOption('[data-testid="scene-e1-role"]', 'charger');
      await expect(p.locator('[data-testid="scene-error"]').innerText()).resolves.toMatch(/scene\.emitters.*battery/);
      await p.selectOption('[data-testid="scene-e1-role"]', 'battery');
      await settled(p);
      expect((await figure(p, 'scene-populations')).values).toEqual(before.values);
      // The scene JSON box: a bad file is refused with the library's message; a good one with a
      // superposition c(0) = (0.6, 0.8i) is used, and the populations start at 0.36 and 0.64.
      await p.click('.scene-json summary');
      await p.fill('[data-testid="scene-json"]', '{"reservoir": {"type": "waveguide"}, "emitters": [');
      await p.click('[data-testid="scene-json-apply"]');
      await expect(p.locator('[data-testid="scene-json-error"]').innerText()).resolves.toMatch(/JSON/);
      await p.fill('[data-testid="scene-json"]', JSON.stringify({ reservoir: { type: 'waveguide', modes: ['TM11'] }, emitters: [{ z: 0, omega0: 1, gamma: 0.5, role: 'charger' }, { z: 0.1, omega0: 1, gamma: 0.5, loss: -2, role: 'battery' }] }));
      await p.click('[data-testid="scene-json-apply"]');
      await expect(p.locator('[data-testid="scene-json-error"]').innerText()).resolves.toMatch(/^scene\.emitters\[1\]\.loss = -2 is not allowed/);
      await p.fill('[data-testid="scene-json"]', JSON.stringify({ reservoir: { type: 'waveguide', modes: ['TM11'] }, emitters: [{ z: 0, omega0: 1, gamma: 0.5, role: 'charger' }, { z: 0.1, omega0: 1, gamma: 0.5, role: 'battery' }], initial: [[0.6, 0], [0, 0.8]] }));
      await p.click('[data-testid="scene-json-apply"]');
      await settled(p);
      await expect(p.locator('[data-testid="scene-json-error"]').innerText()).resolves.toBe('');
      await p.waitForFunction(() => location.hash.includes('&init=0.6,0;0,0.8&'));
      const sup = await figure(p, 'scene-populations');
      // The exact solver meets tol = 1e-3 on each c_j (measured here: 1e-8 at t = 0), so |c_j|² within 2·tol.
      assertClose(sup.values[0][0], 0.36, 2e-3, '|c1(0)|²');
      assertClose(sup.values[1][0], 0.64, 2e-3, '|c2(0)|²');
      await expectSameAsNode(p);
      await goto(p, DEFAULT_LINK);
      // Markov at the band edge ω0 = ω11: the solver refuses; the message is shown, not hidden.
      await p.selectOption('[data-testid="scene-method"]', 'markov');
      await settled(p);
      await expect(p.locator('[data-testid="scene-method-error"]').innerText()).resolves.toMatch(/^markov: .+/);
      await expect(p.locator('[data-testid="scene-dyn-status"]').getAttribute('data-status')).resolves.toBe('error');
      // Bad links (opened on a fresh page, then typed into the address bar of this one): a visible
      // message naming the key, the text and what is allowed; the page keeps working.
      const cases: Array<[string, RegExp]> = [
        ['#scene=1&em=c,0,1,0.5;x,0.1,1,0.5', /link em=.*role must be c \(charger\) or b \(battery\)/],
        ['#scene=1&em=c,0,1,0.5;b,0.1,banana,0.5&tmax=-3', /emitter 2: omega0 = "banana" is not a number.*link tmax="-3"/],
        ['#scene=7&em=c,0,1', /link scene="7": unknown scene link version/],
        ['#scene=1&em=c,0,1,0.5,-0.5;b,0.1,1,0.5', /The link's scene is not valid: scene\.emitters\[0\]\.loss = -0\.5/],
      ];
      const fresh = await open(cases[0][0]);
      try {
        await settled(fresh);
        await expect(fresh.locator('[data-testid="url-notice"]').innerText()).resolves.toMatch(cases[0][1]);
        await expect(fresh.locator('[data-testid="scene-dyn-status"]').innerText()).resolves.toMatch(/success/);
      } finally {
        await fresh.close();
      }
      for (const [hash, message] of cases) {
        await p.evaluate((h) => { location.hash = h; }, hash);
        await p.waitForFunction((m) => new RegExp(m).test(document.querySelector('[data-testid="url-notice"]')!.textContent ?? ''), message.source);
        await settled(p);
        await expect(p.locator('[data-testid="scene-mode"]').isVisible(), hash).resolves.toBe(true);
        expect(await p.locator('#scene-body tr').count(), hash).toBeGreaterThan(0);
        if (hash.includes('-0.5')) {
          // Kept, and shown next to its field.
          await expect(p.locator('#scene-e0-loss-error').innerText()).resolves.toMatch(/loss = -0\.5 is not allowed/);
        } else {
          // The default scene (or the valid rest of the link) is computed and drawn.
          await expect(p.locator('[data-testid="scene-dyn-status"]').innerText(), hash).resolves.toMatch(/exact, .*success/);
        }
      }
    }
    expect(pageErrors).toEqual([]);
  });
});
