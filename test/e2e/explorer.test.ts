/**
 * End-to-end tests of the browser explorer (app/): build it with Vite, serve the static files on
 * 127.0.0.1, drive Chromium (test/e2e/chromium.ts) through playwright-core, and check what a user sees against the
 * CLI (`qbwave spectrum --json`, the same core run by Node) and against the reference values of
 * physics.md (an independent code).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { buildSite, cliSpectrumAsync, launchChromium, colourStats, decodePng, prefetchCliSpectrum, serve } from './helpers.js';
import { assertClose } from '../helpers.js';
import { queryToState } from '../../app/src/state.js';
import { mapAxes, REGIME_CODES } from '../../app/src/mapGrid.js';
import type { MapSpec } from '../../app/src/protocol.js';
import { steadyState } from '../../src/battery/steadyState.js';
import { solve } from '../../src/dynamics/solve.js';

/** Where screenshots go when QBWAVE_E2E_SHOTS is set (e.g. scratch/), else nowhere. */
const SHOTS = process.env.QBWAVE_E2E_SHOTS;

let browser: Browser;
let site: Awaited<ReturnType<typeof buildSite>>;
let server: Awaited<ReturnType<typeof serve>>;
let page: Page;
const pageErrors: string[] = [];

/** Waits until every lane is idle and the screen shows the newest request. */
async function settled(p: Page = page): Promise<void> {
  await p.waitForFunction(() => document.body.dataset.busy === 'false' && document.body.dataset.renderedId === document.body.dataset.requestId, undefined, { timeout: 30_000 });
}

async function openPage(hash = '', viewport = { width: 1280, height: 900 }): Promise<Page> {
  const p = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  p.on('pageerror', (e) => pageErrors.push(e.message));
  p.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`); });
  await p.goto(server.url + hash);
  await settled(p);
  return p;
}

interface ShownState { channel: string; energy: number; residue: number }

async function shownBoundStates(p: Page = page): Promise<ShownState[]> {
  return p.evaluate(() => {
    const e = [...document.querySelectorAll<HTMLElement>('[data-testid="bound-state-energy"]')];
    const z = [...document.querySelectorAll<HTMLElement>('[data-testid="bound-state-residue"]')];
    return e.map((el, i) => ({ channel: el.dataset.channel!, energy: Number(el.dataset.value), residue: Number(z[i].dataset.value) }));
  });
}

async function setParams(omega0: number, dz: number, gamma = 0.5, p: Page = page): Promise<void> {
  await p.fill('[data-testid="gamma"]', String(gamma));
  await p.fill('[data-testid="dz"]', String(dz));
  await p.fill('[data-testid="omega0"]', String(omega0));
  await settled(p);
  const shown = await p.locator('[data-testid="result-params"]').evaluate((el: HTMLElement) => ({ ...el.dataset }));
  expect(Number(shown.omega0)).toBe(omega0);
  expect(Number(shown.dz)).toBe(dz);
  expect(Number(shown.gamma)).toBe(gamma);
}

/**
 * The page and the CLI run the same core (browser V8 vs Node's V8): energies and residues agree to
 * a few ulps; 1e-12 relative leaves room for a different libm in Math.cos/exp and none for a bug.
 */
async function expectSameAsCli(shown: ShownState[], omega0: number, dz: number, gamma = 0.5): Promise<void> {
  const cli = await cliSpectrumAsync(omega0, dz, gamma);
  expect(shown.map((s) => s.channel)).toEqual(cli.boundStates.map((b) => b.channel));
  cli.boundStates.forEach((b, i) => {
    assertClose(shown[i].energy, b.energy, 1e-12 * Math.max(1, Math.abs(b.energy)), `E${b.channel} at ω0=${omega0}, Δz=${dz}`);
    assertClose(shown[i].residue, b.residue, 1e-12, `Z${b.channel} at ω0=${omega0}, Δz=${dz}`);
  });
}

describe('browser explorer (app/)', () => {
  beforeAll(async () => {
    // Fails (never skips) when no Chromium is found, saying how to get one (test/e2e/chromium.ts).
    const launched = launchChromium();
    launched.catch(() => undefined); // reported where it is awaited
    // The CLI runs (one Node process each) go in parallel with the build.
    const cli = prefetchCliSpectrum([[1, 0.1], [0.5, 0.1], [1.5, 0.1], [3, 0.1], [1.4, 0.5], [1.4, 0.2], [0.8, 0], [1.2, 0.7, 1.3], [1, 0.2], [1.4, 1], [1.1, 0.1], [1.005, 0.1], [1.5, 0.1]]);
    site = await buildSite();
    await cli;
    server = await serve(site.outDir);
    const { browser: b, chromium } = await launched;
    browser = b;
    console.log(`[e2e] browser: ${chromium.description}, ${browser.version()}`);
    const t0 = performance.now();
    page = await openPage();
    console.log(`[e2e] vite build ${site.ms.toFixed(0)} ms; first load to first complete view ${(performance.now() - t0).toFixed(0)} ms`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    site?.cleanup();
  });

  it('default view (ω0 = 1, Δz = 0.1, Γ11 = 0.5) shows the bound states of the CLI and of physics.md', async () => {
    const shown = await shownBoundStates();
    await expectSameAsCli(shown, 1, 0.1);
    // physics.md reference table (independent code; energies ~1e-12, residues ~1e-10).
    assertClose(shown[0].energy, 0.620272288437, 2e-12, 'E+ vs physics.md');
    assertClose(shown[0].residue, 0.298169431173, 2e-10, 'Z+ vs physics.md');
    assertClose(shown[1].energy, 0.908066164810, 2e-12, 'E− vs physics.md');
    assertClose(shown[1].residue, 0.454618113906, 2e-10, 'Z− vs physics.md');
    await expect(page.locator('[data-testid="count"]').innerText()).resolves.toBe('2');
    await expect(page.locator('[data-testid="dyn-status"]').innerText()).resolves.toMatch(/exact.*success/);
  });

  it('typed parameters update the bound states exactly as the CLI computes them', async () => {
    for (const [omega0, dz] of [[0.5, 0.1], [1.5, 0.1], [3, 0.1], [1.4, 0.5], [1.4, 0.2], [0.8, 0]] as const) {
      await setParams(omega0, dz);
      await expectSameAsCli(await shownBoundStates(), omega0, dz);
    }
    await setParams(1.2, 0.7, 1.3);
    await expectSameAsCli(await shownBoundStates(), 1.2, 0.7, 1.3);
  });

  it('bad values show an inline error next to the control, keep the last results, and nothing crashes', async () => {
    await setParams(1, 0.1);
    const before = await shownBoundStates();
    const cases: [string, string, RegExp][] = [
      ['omega0', 'abc', /not a number.*\(0, 10\]/],
      ['omega0', '11', /out of range.*\(0, 10\]/],
      ['omega0', '0', /out of range/],
      ['dz', '-0.5', /out of range.*\[0, 20\]/],
      ['gamma', '', /required/],
      ['tmax', '1e9', /out of range/],
    ];
    for (const [testid, text, message] of cases) {
      const input = page.locator(`[data-testid="${testid}"]`);
      await input.fill(text);
      const id = await input.getAttribute('id');
      await expect(input.getAttribute('aria-invalid')).resolves.toBe('true');
      const error = page.locator(`#${id}-error`);
      await expect(error.innerText()).resolves.toMatch(message);
      // The error is announced with the input (aria-describedby) and sits right next to it.
      expect((await input.getAttribute('aria-describedby'))!.split(' ')).toContain(`${id}-error`);
      expect(await shownBoundStates()).toEqual(before);
      await input.fill(testid === 'omega0' ? '1' : testid === 'dz' ? '0.1' : testid === 'gamma' ? '0.5' : '60');
      await expect(error.innerText()).resolves.toBe('');
      await expect(input.getAttribute('aria-invalid')).resolves.toBe(null);
    }
    await settled();
    expect(pageErrors).toEqual([]);
  });

  it('a link with bad values highlights each control with the key, the value and the allowed values; unknown keys get a notice (issue 10 item 10)', async () => {
    // #method=bogus used to say "fix the highlighted field" with nothing highlighted; bogus sweep,
    // units and tol were silently replaced by the defaults.
    const p = await openPage('#omega0=1.5&method=bogus&sweep=omega&units=SI&tol=1e-4&foo=1');
    try {
      for (const [id, message] of [
        ['method', 'link method="bogus": must be one of exact, volterra, markov (showing exact)'],
        ['sweep', 'link sweep="omega": must be one of omega0, dz (showing omega0)'],
        ['physical', 'link units="SI": must be one of model, physical (showing model)'],
        ['tol', 'link tol="1e-4": must be one of 0.001, 0.00001, 1e-8 (showing 0.001)'],
      ] as const) {
        await expect(p.locator(`#${id}`).getAttribute('aria-invalid'), id).resolves.toBe('true');
        await expect(p.locator(`#${id}-error`).innerText(), id).resolves.toBe(message);
        // visibly highlighted: an outline is drawn
        await expect(p.locator(`#${id}`).evaluate((el) => getComputedStyle(el).outlineStyle), id).resolves.toBe('solid');
      }
      await expect(p.locator('[data-testid="url-notice"]').innerText()).resolves.toMatch(/does not know, ignored: "foo"/);
      await expect(p.locator('#status').innerText()).resolves.toMatch(/Fix the highlighted field/);
      // the valid part of the link is used, and the page computed with the defaults for the rest
      await expect(p.locator('[data-testid="omega0"]').inputValue()).resolves.toBe('1.5');
      await expect(p.locator('[data-testid="method"]').inputValue()).resolves.toBe('exact');
      // a choice made at the control replaces the link's bad value
      await p.selectOption('[data-testid="method"]', 'volterra');
      await p.check('[data-testid="sweep-dz"]');
      await p.selectOption('[data-testid="tol"]', '0.00001');
      await p.check('[data-testid="physical"]');
      await settled(p);
      for (const id of ['method', 'sweep', 'physical', 'tol']) {
        await expect(p.locator(`#${id}`).getAttribute('aria-invalid'), id).resolves.toBe(null);
        await expect(p.locator(`#${id}-error`).innerText(), id).resolves.toBe('');
      }
      await expect(p.locator('#status').innerText()).resolves.not.toMatch(/Fix the highlighted field/);
      await expect(p.locator('[data-testid="dyn-status"]').innerText()).resolves.toMatch(/Dynamics: volterra, .*success/);
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('the URL holds the state: a copied link reproduces the view', async () => {
    await setParams(0.75, 0.3, 0.8);
    await page.selectOption('[data-testid="method"]', 'markov');
    await page.check('[data-testid="sweep-dz"]');
    await page.fill('[data-testid="tmax"]', '40');
    await settled();
    await page.waitForFunction(() => location.hash.includes('tmax=40') && location.hash.includes('method=markov'));
    const url = page.url();
    const hash = new URL(url).hash;
    const parsed = queryToState(hash);
    expect(parsed.errors).toEqual({});
    expect(parsed.state).toMatchObject({ omega0: 0.75, dz: 0.3, gamma11: 0.8, method: 'markov', sweep: 'dz', tMax: 40 });
    const other = await openPage(hash);
    try {
      for (const [id, v] of [['omega0', '0.75'], ['dz', '0.3'], ['gamma', '0.8'], ['tmax', '40']]) {
        await expect(other.locator(`[data-testid="${id}"]`).inputValue()).resolves.toBe(v);
      }
      await expect(other.locator('[data-testid="method"]').inputValue()).resolves.toBe('markov');
      await expect(other.locator('[data-testid="sweep-dz"]').isChecked()).resolves.toBe(true);
      expect(await shownBoundStates(other)).toEqual(await shownBoundStates());
      expect(other.url()).toBe(url);
    } finally {
      await other.close();
    }
    // A link with a bad value opens with the error shown and computes with the default in its place.
    const bad = await openPage('#omega0=banana&dz=0.2');
    try {
      await expect(bad.locator('#omega0-error').innerText()).resolves.toMatch(/not a number/);
      await expect(bad.locator('[data-testid="omega0"]').inputValue()).resolves.toBe('banana');
      await expectSameAsCli(await shownBoundStates(bad), 1, 0.2);
    } finally {
      await bad.close();
    }
  });

  it('the built folder also works opened as plain files (file://, no server, no cross-origin isolation)', async () => {
    const p = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    try {
      await p.goto(`${pathToFileURL(join(site.outDir, 'index.html')).href}#omega0=0.5&dz=0.1`);
      await settled(p);
      await expectSameAsCli(await shownBoundStates(p), 0.5, 0.1);
      await expect(p.locator('[data-testid="dyn-status"]').innerText()).resolves.toMatch(/exact.*success/);
      await p.fill('[data-testid="omega0"]', '1.5');
      await settled(p);
      await expectSameAsCli(await shownBoundStates(p), 1.5, 0.1);
      await p.waitForFunction(() => location.hash.includes('omega0=1.5'));
      expect(await p.evaluate(() => window.__qbwave.isolated)).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('paper presets set the parameters in one click', async () => {
    await page.click('[data-testid="preset-fig3"]');
    await settled();
    await expect(page.locator('[data-testid="omega0"]').inputValue()).resolves.toBe('1.4');
    await expect(page.locator('[data-testid="dz"]').inputValue()).resolves.toBe('1');
    await expect(page.locator('[data-testid="sweep-dz"]').isChecked()).resolves.toBe(true);
    await expectSameAsCli(await shownBoundStates(), 1.4, 1);
    await page.click('[data-testid="preset-fig2c"]');
    await settled();
    await expectSameAsCli(await shownBoundStates(), 3, 0.1);
    // Exactly one bound state, with a residue below the effective threshold (physics.md: Z+ ≈ 0.0105).
    await expect(page.locator('[data-testid="count"]').innerText()).resolves.toBe('1');
    await expect(page.locator('[data-testid="effective-count"]').innerText()).resolves.toBe('0');
    // The NV example: a = b = 450 nm, λ0 = 637 nm → ω0 = λ11/λ0 = 636.396/637 ≈ 0.99905 ω11.
    await page.click('[data-testid="preset-nv450"]');
    await settled();
    await expect(page.locator('[data-testid="physical"]').isChecked()).resolves.toBe(true);
    assertClose(Number(await page.locator('[data-testid="lambda0"]').inputValue()), 637, 1e-4, 'λ0 of the NV preset');
    assertClose(Number(await page.locator('[data-testid="omega0"]').inputValue()), (Math.SQRT2 * 450) / 637, 1e-10, 'ω0 of the NV preset');
    // Typing a wavelength moves ω0: λ0 = 700 nm → ω0 = 636.396/700.
    await page.fill('[data-testid="lambda0"]', '700');
    await settled();
    assertClose(Number(await page.locator('[data-testid="omega0"]').inputValue()), (Math.SQRT2 * 450) / 700, 1e-10, 'ω0 from λ0 = 700 nm');
    await page.uncheck('[data-testid="physical"]');
  });

  it('exports CSV, SVG and PNG of a plot', async () => {
    await page.click('[data-testid="reset"]');
    await settled();
    const fig = page.locator('figure[data-plot="energy"]');
    const grab = async (kind: string) => {
      const [dl] = await Promise.all([page.waitForEvent('download'), fig.locator(`button[data-export="${kind}"]`).click()]);
      return { name: dl.suggestedFilename(), body: readFileSync((await dl.path())!) };
    };
    const csv = await grab('csv');
    expect(csv.name).toMatch(/^qbwave-energy-.*\.csv$/);
    const lines = csv.body.toString('utf8').trim().split('\n');
    const header = lines.findIndex((l) => l.startsWith('t (1/omega11),'));
    expect(lines[header]).toBe('t (1/omega11),E (omega11),W (omega11)');
    expect(lines.length - header - 1).toBe(601); // tMax = 60 at 10 points per 1/ω11
    const last = lines.at(-1)!.split(',').map(Number);
    expect(last[0]).toBe(60);
    const svg = await grab('svg');
    expect(svg.body.toString('utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>$/);
    expect(svg.body.toString('utf8')).toContain('time t (1/ω11)');
    const png = decodePng((await grab('png')).body);
    expect(png.width).toBe(1600);
    expect(colourStats(png).distinct).toBeGreaterThan(50);
  });

  it('every method runs in the worker and reports its status; a method error shows next to the method', async () => {
    // Eq. (6) is singular at the band edge: the core refuses ω0 = ω11 for 'markov'.
    await page.selectOption('[data-testid="method"]', 'markov');
    await settled();
    await expect(page.locator('#method-error').innerText()).resolves.toMatch(/markov: .*omega0 = 1/);
    await expect(page.locator('[data-testid="dyn-status"]').innerText()).resolves.toMatch(/markov failed/);
    await page.fill('[data-testid="omega0"]', '1.05');
    await settled();
    await expect(page.locator('#method-error').innerText()).resolves.toBe('');
    for (const m of ['markov', 'volterra', 'exact']) {
      await page.selectOption('[data-testid="method"]', m);
      await settled();
      await expect(page.locator('[data-testid="dyn-status"]').innerText()).resolves.toMatch(new RegExp(`Dynamics: ${m}, .*success`));
    }
    await page.fill('[data-testid="omega0"]', '1');
    await settled();
    // Exact and Eq. (8) agree: after the transient, E(t) stays inside the steady band (tolerance 0.02 ω11 for the branch-cut tail at t ≥ 40).
    const inBand = await page.evaluate(() => {
      const f = window.__qbwave.figures.energy!;
      const band = f.bands[0];
      let worst = 0;
      for (let i = 0; i < f.x.length; i++) {
        if (f.x[i] < 40) continue;
        const e = f.series[0].values[i];
        worst = Math.max(worst, band.y0 - e, e - band.y1);
      }
      return worst;
    });
    expect(inBand).toBeLessThan(0.02);
  });

  it('compare=markov overlays the Markovian E(t), W(t) and populations (Eq. 6) dashed on the exact ones, equal to the core\'s solveMarkov; in the band Eq. 6 decays while the exact E(t) stays', async () => {
    const p = await openPage('#omega0=1.5&dz=0.1&gamma=0.5&tmax=60&method=exact&compare=markov');
    try {
      await settled(p);
      expect(await p.locator('[data-testid="compare"]').inputValue()).toBe('markov');
      const f = await p.evaluate(() => {
        const e = window.__qbwave.figures.energy!;
        const pop = window.__qbwave.figures.populations!;
        return { x: Array.from(e.x as Float64Array), labels: e.series.map((s: { label: string }) => s.label), dashes: e.series.map((s: { dash?: number[] }) => s.dash ?? null), values: e.series.map((s: { values: Float64Array }) => Array.from(s.values)), popLabels: pop.series.map((s: { label: string }) => s.label) };
      });
      expect(f.labels).toEqual(['E(t) = ω0|c2|²', 'W(t) ergotropy', 'E(t) markov', 'W(t) markov']);
      expect(f.popLabels).toEqual(['|c1|² charger', '|c2|² battery', '|c1|² markov', '|c2|² markov']);
      expect(f.dashes[2]).not.toBeNull();
      // The worker runs the same core: its Markov curve equals solveMarkov in Node to rounding (1e-12).
      const ref = solve({ params: { omega0: 1.5, dz: 0.1, gamma11: 0.5 }, tMax: 60, dt: f.x[1]! - f.x[0]!, tol: 1e-3 }, 'markov');
      for (let i = 0; i < f.x.length; i += 25) {
        const e = 1.5 * (ref.c2[2 * i]! ** 2 + ref.c2[2 * i + 1]! ** 2);
        assertClose(f.values[2]![i]!, e, 1e-12, `Markov E(t = ${f.x[i]})`);
      }
      // The paper's argument in the data: at t = 60 the Markov energy has decayed (< 2.6e-3, rate 0.106),
      // the exact one tends to ω0 Z+² = 0.029.
      const last = f.x.length - 1;
      expect(f.values[2]![last]!).toBeLessThan(2.6e-3);
      expect(f.values[0]![last]!).toBeGreaterThan(10 * f.values[2]![last]!);
    } finally {
      await p.close();
    }
  });

  it('every control has an accessible name, and the keyboard alone changes parameters', async () => {
    const unnamed = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('input, select, button')]
      .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !el.textContent?.trim())
      .map((el) => el.outerHTML.slice(0, 80)));
    expect(unnamed).toEqual([]);
    // Every numeric field names its unit in its label or description.
    for (const id of ['omega0', 'dz', 'gamma11', 'tMax', 'threshold', 'aNm', 'bNm', 'lambda0', 'dzNm']) {
      const described = await page.evaluate((i) => {
        const el = document.getElementById(i)!;
        const ids = (el.getAttribute('aria-describedby') ?? '').split(' ');
        return ids.map((d) => document.getElementById(d)?.textContent ?? '').join(' ');
      }, id);
      expect(described, id).toMatch(/ω11|λ11|1\/ω11|nm|dimensionless/);
    }
    await page.click('[data-testid="reset"]');
    await settled();
    await page.focus('[data-testid="omega0"]');
    await page.keyboard.press('ArrowUp'); // one slider step, 0.005 ω11
    await settled();
    await expect(page.locator('[data-testid="omega0"]').inputValue()).resolves.toBe('1.005');
    await expectSameAsCli(await shownBoundStates(), 1.005, 0.1);
    await page.keyboard.press('ArrowDown');
    await settled();
  });

  it('dragging a slider never blocks the page; superseded work is cancelled or dropped', async () => {
    await page.click('[data-testid="reset"]');
    await settled();
    await page.evaluate(() => {
      const w = window as unknown as { __longest: number; __obs: PerformanceObserver };
      w.__longest = 0;
      w.__obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration); });
      w.__obs.observe({ type: 'longtask' });
    });
    const before = await page.evaluate(() => window.__qbwave.lanes());
    await page.focus('#omega0-range');
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowLeft');
    await settled();
    const after = await page.evaluate(() => window.__qbwave.lanes());
    const longest = await page.evaluate(() => (window as unknown as { __longest: number }).__longest);
    const value = Number(await page.locator('[data-testid="omega0"]').inputValue());
    assertClose(value, 1.1, 1e-12, 'ω0 after 40 × right, 20 × left at step 0.005');
    await expectSameAsCli(await shownBoundStates(), value, 0.1);
    const skipped = (after.dynamics.dropped - before.dynamics.dropped) + (after.dynamics.cancelled - before.dynamics.cancelled)
      + (after.spectrum.dropped - before.spectrum.dropped) + (after.spectrum.cancelled - before.spectrum.cancelled);
    console.log(`[e2e] slider: 60 key steps, ${after.spectrum.started - before.spectrum.started} spectrum + ${after.dynamics.started - before.dynamics.started} dynamics jobs started, ${skipped} superseded jobs dropped or cancelled; longest main-thread task ${longest > 0 ? `${longest.toFixed(0)} ms` : 'none ≥ 50 ms (longtask threshold)'}`);
    expect(skipped).toBeGreaterThan(0);
    // Main-thread work per update is plotting only (no physics): no task near a frozen-page scale. A
    // regression guard, not a speed target (that is the log line above): measured 76–321 ms at load ≈ 3
    // and 577 ms at load ≈ 20, so 2 s catches a blocked page without failing on a busy machine.
    expect(longest).toBeLessThan(2000);
  });

  it('a long computation superseded by a new parameter is cancelled, not waited for', async () => {
    const p = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    try {
      // A job of seconds: 20001 output points at tolerance 1e-8. Supersede it while it runs.
      await p.goto(`${server.url}#omega0=1&dz=0.1&gamma=0.5&tmax=2000&tol=1e-8&method=exact`);
      await p.waitForFunction(() => document.body.dataset.busy === 'true');
      await p.waitForTimeout(500);
      const before = await p.evaluate(() => window.__qbwave.lanes().dynamics);
      const t0 = performance.now();
      await p.fill('[data-testid="tmax"]', '60');
      await p.selectOption('[data-testid="tol"]', '0.001');
      await settled(p);
      const ms = performance.now() - t0;
      const after = await p.evaluate(() => window.__qbwave.lanes().dynamics);
      console.log(`[e2e] superseded long solve (t_max = 2000, tol 1e-8): new view after ${ms.toFixed(0)} ms; cancelled ${after.cancelled - before.cancelled} (through the shared abort flag inside solve), worker restarts ${after.killed - before.killed}`);
      expect(after.cancelled).toBeGreaterThan(before.cancelled);
      await expect(p.locator('[data-testid="dyn-status"]').innerText()).resolves.toMatch(/exact, 601 points to t = 60 .*success/);
      expect(ms).toBeLessThan(10_000);
    } finally {
      await p.close();
    }
  });

  it('interaction latency of the default view (parameter change → updated plots)', async () => {
    await page.click('[data-testid="reset"]');
    await settled();
    const external: number[] = [];
    const values = [1.02, 0.98, 1.05, 0.95, 1.01, 0.99, 1.03, 0.97, 1.04, 1.0];
    const [n0, f0] = await page.evaluate(() => [window.__qbwave.latencies.length, window.__qbwave.firstLatencies.length]);
    for (const v of values) {
      const t0 = performance.now();
      await page.fill('[data-testid="omega0"]', String(v));
      await settled();
      external.push(performance.now() - t0);
    }
    const internal = (await page.evaluate(() => window.__qbwave.latencies.map((l: { ms: number }) => l.ms))).slice(n0);
    const first = (await page.evaluate(() => window.__qbwave.firstLatencies.map((l: { ms: number }) => l.ms))).slice(f0);
    const timings = await page.evaluate(() => window.__qbwave.timings());
    const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    // Δz changes recompute the ω0 sweep of the spectrum plot too (ω0 changes reuse the cached one).
    const dzTimes: number[] = [];
    for (const d of [0.12, 0.1]) {
      const t0 = performance.now();
      await page.fill('[data-testid="dz"]', String(d));
      await settled();
      dzTimes.push(performance.now() - t0);
    }
    console.log(`[e2e] latency ω0 change → all four plots updated (in page, input event to painted frame; dynamics as the 151-point preview): median ${med(first).toFixed(0)} ms, max ${Math.max(...first).toFixed(0)} ms; ` +
      `→ full resolution (601 points): median ${med(internal).toFixed(0)} ms, max ${Math.max(...internal).toFixed(0)} ms over ${internal.length}; ` +
      `seen from the test driver: median ${med(external).toFixed(0)} ms; worker: spectrum ${timings.point.toFixed(0)} ms, dynamics ${timings.dynamics.toFixed(0)} ms; ` +
      `Δz change (sweep recomputed): ${dzTimes.map((t) => t.toFixed(0)).join(', ')} ms; target < 100 ms`);
    expect(internal.length).toBe(values.length);
    expect(first.length).toBe(values.length);
    // Regression guard, not the target: generous for a shared, loaded CI machine.
    expect(med(internal)).toBeLessThan(1500);
  });

  it('phase-diagram map (Fig. 4a/b): equals the core at sample cells, follows the current point, picks a point on click or with the arrow keys, exports, and is recomputed only when Γ11 or Z_min change', async () => {
    const p = await openPage('#omega0=1.4&dz=1&gamma=0.5');
    try {
      await p.waitForFunction(() => document.body.dataset.mapState === 'done', undefined, { timeout: 60_000 });
      const m: { spec: MapSpec; rows: number; gamma11: number; threshold: number; regime: number[]; w: number[]; e: number[] } = await p.evaluate(() => {
        const d = window.__qbwave.map();
        return { spec: d.spec, rows: d.rows, gamma11: d.gamma11, threshold: d.threshold, regime: Array.from(d.regime as Uint8Array), w: Array.from(d.ergotropy as Float64Array), e: Array.from(d.energy as Float64Array) };
      });
      expect(m.rows).toBe(m.spec.ny);
      expect(m.gamma11).toBe(0.5);
      // The worker and Node run the same core: the same regime, and W(∞), E(∞) maxima to a few ulps
      // (1e-12 allows a different libm, not a different computation).
      const ax = mapAxes(m.spec);
      for (const [i, k] of [[0, 0], [7, 1], [24, 15], [40, 21], [50, 5], [65, 47], [10, 40], [39, 22]]) {
        const s = steadyState({ omega0: ax.omega0[i], dz: ax.dz[k], gamma11: 0.5 }, { residueThreshold: m.threshold });
        const j = k * m.spec.nx + i;
        const at = `(ω0, Δz) = (${ax.omega0[i]}, ${ax.dz[k]})`;
        expect(REGIME_CODES[m.regime[j]], `regime at ${at}`).toBe(s.regime);
        assertClose(m.w[j], s.ergotropyMax, 1e-12, `W(∞) max at ${at}`);
        assertClose(m.e[j], s.energyMax, 1e-12, `E(∞) max at ${at}`);
      }
      // All four regimes of Fig. 4a appear on the paper's ranges.
      expect([...new Set(m.regime)].sort()).toEqual([0, 1, 2, 3]);
      // ω0 and Δz only move the marker: no new map job.
      const before = await p.evaluate(() => window.__qbwave.lanes().map.started);
      await p.fill('[data-testid="omega0"]', '0.6');
      await settled(p);
      await p.fill('[data-testid="dz"]', '0.2');
      await settled(p);
      expect(await p.evaluate(() => window.__qbwave.lanes().map.started)).toBe(before);
      const regimeHere = steadyState({ omega0: ax.omega0[Math.floor(((0.6 - m.spec.omega0Min) / (m.spec.omega0Max - m.spec.omega0Min)) * m.spec.nx)], dz: ax.dz[Math.floor(((0.2 - m.spec.dzMin) / (m.spec.dzMax - m.spec.dzMin)) * m.spec.ny)], gamma11: 0.5 }).regime;
      expect(await p.locator('[data-testid="map-canvas"]').getAttribute('aria-label')).toContain(`current point (red) is in regime ${regimeHere}`);
      // A click sets (ω0, Δz) to the centre of the cell under the pointer.
      const box = (await p.locator('[data-testid="map-canvas"]').boundingBox())!;
      const x = box.width * 0.3;
      const y = box.height * 0.4;
      const target: { omega0: number; dz: number } | null = await p.evaluate(([px, py]) => window.__qbwave.mapPick(px, py), [x, y]);
      expect(target).not.toBeNull();
      await p.locator('[data-testid="map-canvas"]').click({ position: { x, y } });
      await settled(p);
      const shown = await p.locator('[data-testid="result-params"]').evaluate((el: HTMLElement) => ({ ...el.dataset }));
      expect(Number(shown.omega0)).toBe(target!.omega0);
      expect(Number(shown.dz)).toBe(target!.dz);
      // Keyboard: focused, the arrow keys step to the neighbouring cell.
      await p.focus('[data-testid="map-canvas"]');
      await p.keyboard.press('ArrowRight');
      await settled(p);
      await p.keyboard.press('ArrowUp');
      await settled(p);
      const stepped = await p.locator('[data-testid="result-params"]').evaluate((el: HTMLElement) => ({ ...el.dataset }));
      const col = Math.floor(((target!.omega0 - m.spec.omega0Min) / (m.spec.omega0Max - m.spec.omega0Min)) * m.spec.nx);
      const rowK = Math.floor(((target!.dz - m.spec.dzMin) / (m.spec.dzMax - m.spec.dzMin)) * m.spec.ny);
      expect(Number(stepped.omega0)).toBe(Number(ax.omega0[col + 1].toPrecision(6)));
      expect(Number(stepped.dz)).toBe(Number(ax.dz[rowK + 1].toPrecision(6)));
      // CSV: comment lines, a header and one row per cell.
      const [dl] = await Promise.all([p.waitForEvent('download'), p.click('button[data-map-export="csv"]')]);
      expect(dl.suggestedFilename()).toBe('qbwave-phase-diagram-g0.5.csv');
      const lines = readFileSync((await dl.path())!, 'utf8').trim().split('\n');
      const header = lines.findIndex((l) => l.startsWith('omega0_omega11,'));
      expect(lines[header]).toBe('omega0_omega11,dz_lambda11,regime,ergotropy_max_omega11,energy_max_omega11');
      expect(lines.length - header - 1).toBe(m.spec.nx * m.spec.ny);
      const row = lines[header + 1 + 15 * m.spec.nx + 24].split(',');
      expect(Number(row[0])).toBe(ax.omega0[24]);
      expect(Number(row[1])).toBe(ax.dz[15]);
      expect(row[2]).toBe(REGIME_CODES[m.regime[15 * m.spec.nx + 24]]);
      // Γ11 changes the map: one new job, for the new Γ11.
      await p.fill('[data-testid="gamma"]', '0.8');
      await settled(p);
      await p.waitForFunction(() => document.body.dataset.mapState === 'done' && window.__qbwave.map()?.gamma11 === 0.8, undefined, { timeout: 60_000 });
      expect(await p.evaluate(() => window.__qbwave.lanes().map.started)).toBe(before + 1);
    } finally {
      await p.close();
    }
  });

  it('screenshots of the main view are not blank, at laptop and phone widths', async () => {
    await page.click('[data-testid="reset"]');
    await settled();
    for (const [name, viewport] of [['laptop', { width: 1366, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
      const p = name === 'laptop' ? page : await openPage('', viewport);
      if (name === 'laptop') await p.setViewportSize(viewport);
      await settled(p);
      await p.evaluate(() => { (document.activeElement as HTMLElement | null)?.blur(); window.scrollTo(0, 0); document.querySelector('.controls')!.scrollTop = 0; });
      await p.waitForTimeout(100); // a ResizeObserver pass for the plots
      const buf = await p.screenshot({ fullPage: name === 'phone' });
      if (SHOTS) { mkdirSync(SHOTS, { recursive: true }); writeFileSync(join(SHOTS, `explorer-${name}.png`), buf); }
      const img = decodePng(buf);
      const stats = colourStats(img);
      expect(img.width).toBe(viewport.width);
      expect(stats.distinct, `${name}: distinct colours`).toBeGreaterThan(200);
      expect(stats.nonBackground, `${name}: non-background pixel fraction`).toBeGreaterThan(0.05);
      // Every plot canvas has drawn lines: count pixels in its plot area that are neither white nor transparent.
      const inked = await p.evaluate(() => [...document.querySelectorAll<HTMLCanvasElement>('.plot-host canvas')].map((c) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && !(d[i] > 240 && d[i + 1] > 240 && d[i + 2] > 240)) n++;
        return n / (c.width * c.height);
      }));
      expect(inked, `${name}: canvases (four plots and the map)`).toHaveLength(5);
      for (const f of inked) expect(f).toBeGreaterThan(0.01);
      // Nothing wider than the viewport (readable on a phone without sideways scrolling).
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${name}: horizontal overflow in px`).toBeLessThanOrEqual(0);
      if (p !== page) await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
