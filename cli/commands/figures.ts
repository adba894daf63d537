import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { VERSION } from '../../src/version.js';
import type { FigureData, FigurePlan, Table } from '../../src/studies/figureData.js';
import { fig2Plan } from '../../src/studies/fig2.js';
import { fig3Plan } from '../../src/studies/fig3.js';
import { FIG4_DEFAULTS, fig4Plan } from '../../src/studies/fig4.js';
import { ioReason, UsageError } from '../errors.js';
import { checkGridBound, MAX_FIG3_ROWS, MAX_FIG4_POINTS, parseThreadsFlag } from '../limits.js';
import { checkWritable, writeFileAtomicAsync } from '../output.js';
import { numText } from '../sweep/formats.js';
import { createProgress } from '../sweep/progress.js';
import { Cancelled, defaultThreads, runJobsParallel } from '../sweep/runner.js';
import { parseAxisFlag } from '../sweep/spec.js';

const FIGURES = ['2', '3', '4'] as const;
type FigureId = (typeof FIGURES)[number];
const FORMATS = ['svg', 'png', 'csv'] as const;
type FigureFormat = (typeof FORMATS)[number];

const PAPER = 'Song et al., PRL 132, 090401 (2024)';

/** The CSV text of one plotted series, with a `# ` header recording how it was made. */
export function tableCsv(fd: FigureData, t: Table): string {
  const lines = [
    `# qbwave figures: ${t.name}: ${t.title}`,
    `# reference: ${PAPER}, ${fd.title.split(':')[0]}`,
    `# qbwave-version: ${VERSION}`,
    `# parameters: ${Object.entries(fd.parameters).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `# method: ${fd.method}`,
    `# units: omega0, gamma11, energies in omega11; dz in lambda11; t in 1/omega11`,
    ...t.columns.map((c) => `# column ${c.name} [${c.unit}]: ${c.description}`),
    ...fd.markers.map((m) => `# marker (panel ${m.panel}, ${m.axis} = ${numText(m.value)}): ${m.label}`),
    ...fd.warnings.map((w) => `# warning: ${w}`),
    t.columns.map((c) => c.name).join(','),
    ...t.rows.map((r) => r.map((x) => (typeof x === 'number' ? numText(x) : x)).join(',')),
  ];
  return `${lines.join('\n')}\n`;
}

function parseList<T extends string>(flag: string, raw: unknown, choices: readonly T[]): T[] {
  const items = String(raw ?? '').split(',').map((s) => s.trim().replace(/^fig/, ''));
  for (const it of items) if (!(choices as readonly string[]).includes(it)) throw new UsageError(`${flag} ${JSON.stringify(String(raw))}: each item must be one of ${choices.join(', ')}`);
  return [...new Set(items)] as T[];
}

function range(flag: string, name: 'omega0' | 'dz', raw: unknown): { start: number; stop: number; count: number } {
  const text = String(raw);
  const parts = text.split(':');
  if (parts.length !== 3) throw new UsageError(`${flag} ${JSON.stringify(text)}: must be START:STOP:COUNT`);
  const values = (() => {
    try {
      return parseAxisFlag(name, text);
    } catch (e) {
      if (e instanceof UsageError) throw new UsageError(e.message.replace(/^--\S+/, flag));
      throw e;
    }
  })();
  return { start: values[0]!, stop: values[values.length - 1]!, count: values.length };
}

/**
 * Output names checked before computing: the folder (a probe file is created in it) and each figure's
 * SVG/PNG. The CSV names are known only once the data are assembled; the folder check covers them.
 */
function plannedFiles(which: readonly FigureId[], formats: readonly FigureFormat[]): string[] {
  const out = which.flatMap((id) => (['svg', 'png'] as const).filter((f) => formats.includes(f)).map((f) => `fig${id}.${f}`));
  return out.length > 0 ? out : [`fig${which[0] ?? '2'}.csv`];
}

/**
 * The real reason a recursive mkdir of `dir` failed: Node reports ENOENT for a read-only or
 * unwritable parent, so the first missing folder is created alone to get the system's own error.
 */
function mkdirReason(dir: string, err: unknown): unknown {
  let child = dir;
  while (dirname(child) !== child && !existsSync(dirname(child))) child = dirname(child);
  try {
    mkdirSync(child);
    rmSync(child, { recursive: true, force: true });
  } catch (e) {
    return e;
  }
  return err;
}

/** Figure plans for the chosen figures; `quick` shrinks every grid for smoke tests (same code). */
export function figurePlans(which: FigureId[], o: { quick: boolean; fig3Dz?: { start: number; stop: number; count: number }; fig4Omega0?: { start: number; stop: number; count: number }; fig4Dz?: { start: number; stop: number; count: number } }): FigurePlan[] {
  const plans: FigurePlan[] = [];
  for (const id of which) {
    if (id === '2') plans.push(fig2Plan(o.quick ? { omega0: { start: 0.5, stop: 3.5, count: 31 }, tMax: 60, dt: 0.5, eq8From: 40, eq8Step: 5 } : {}));
    if (id === '3') plans.push(fig3Plan({ ...(o.quick ? { dz: { start: 0.1, stop: 2.5, count: 25 }, mapDz: { start: 0.5, stop: 2.5, count: 3 }, tFrom: 150, tMax: 200, dt: 5 } : {}), ...(o.fig3Dz ? { mapDz: o.fig3Dz } : {}) }));
    if (id === '4') {
      const base = o.quick ? { omega0: { start: 0.2, stop: 3.5, count: 12 }, dz: { start: 0.1, stop: 3, count: 7 } } : {};
      plans.push(fig4Plan({ ...base, ...(o.fig4Omega0 ? { omega0: o.fig4Omega0 } : {}), ...(o.fig4Dz ? { dz: o.fig4Dz } : {}) }));
    }
  }
  return plans;
}

/** `qbwave figures`: Figs. 2–4 of the paper as SVG, PNG and CSV. */
export function registerFigures(program: Command): void {
  program
    .command('figures')
    .description("reproduce the paper's Figs. 2, 3 and 4 (SVG, PNG and the CSV of every plotted series)")
    .option('--out <DIR>', 'output directory (created if missing)', 'figures')
    .option('--only <LIST>', 'comma list of figures to make: 2, 3, 4', '2,3,4')
    .option('--formats <LIST>', 'comma list of svg, png, csv', 'svg,png,csv')
    .option('--fig3-dz <R>', 'Fig. 3(a) long-time map: Δz rows START:STOP:COUNT in λ11 (default 0.125:2.5:20; one exact solve a row)')
    .option('--fig4-omega0 <R>', 'Fig. 4 ω0 grid START:STOP:COUNT in ω11 (default 0.2:3.5:111)')
    .option('--fig4-dz <R>', 'Fig. 4 Δz grid START:STOP:COUNT in λ11 (default 0.04:3:75)')
    .option('--quick', 'coarse grids and short times (a smoke test; not for publication)')
    .option('--threads <N>', 'worker threads (default: all cores)')
    .option('--quiet', 'no progress bar or summary')
    .action(async (opts: Record<string, unknown>) => {
      const t0 = Date.now();
      const which = parseList('--only', opts.only, FIGURES);
      const formats = parseList('--formats', opts.formats, FORMATS) as FigureFormat[];
      const threads = opts.threads === undefined ? defaultThreads() : parseThreadsFlag(opts.threads);
      const fig3Dz = opts.fig3Dz === undefined ? undefined : range('--fig3-dz', 'dz', opts.fig3Dz);
      if (fig3Dz) checkGridBound('--fig3-dz', fig3Dz.count, [fig3Dz.count], MAX_FIG3_ROWS, 'each row is one exact solve over t ∈ [300, 500]/ω11, 0.1–1 s');
      const fig4Omega0 = opts.fig4Omega0 === undefined ? undefined : range('--fig4-omega0', 'omega0', opts.fig4Omega0);
      const fig4Dz = opts.fig4Dz === undefined ? undefined : range('--fig4-dz', 'dz', opts.fig4Dz);
      if (which.includes('4')) {
        const n0 = (fig4Omega0 ?? FIG4_DEFAULTS.omega0).count;
        const n1 = (fig4Dz ?? FIG4_DEFAULTS.dz).count;
        checkGridBound('--fig4-omega0/--fig4-dz', n0 * n1, [n0, n1], MAX_FIG4_POINTS, 'about 8 kB of memory per point while the map is rendered');
      }
      // Everything is checked before the folder is created or anything computed.
      const dir = resolve(String(opts.out));
      if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--out ${JSON.stringify(String(opts.out))}: exists and is not a directory`);
      let made: string | undefined;
      try {
        made = mkdirSync(dir, { recursive: true });
      } catch (err) {
        throw new UsageError(`--out ${JSON.stringify(String(opts.out))}: cannot create the folder ${dir}: ${ioReason(mkdirReason(dir, err))}`);
      }
      try {
        for (const name of plannedFiles(which, formats)) checkWritable('--out', join(dir, name));
      } catch (err) {
        if (made !== undefined) rmSync(made, { recursive: true, force: true }); // only the folders just made, still empty
        throw err;
      }
      const plans = figurePlans(which, { quick: Boolean(opts.quick), fig3Dz, fig4Omega0, fig4Dz });
      const jobs = plans.flatMap((p) => p.jobs);
      const quiet = Boolean(opts.quiet);
      const progress = createProgress('figures', 1000, 0, quiet);
      let shown = 0;
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      let results;
      try {
        results = await runJobsParallel(jobs, {
          threads,
          signal: controller.signal,
          onProgress: (done, total) => {
            const now = Math.round((1000 * done) / total);
            progress.tick(now - shown);
            shown = now;
          },
        });
      } catch (err) {
        progress.stop();
        if (err instanceof Cancelled) {
          process.stderr.write('qbwave: figures interrupted; nothing written\n');
          process.exit(130);
        }
        throw err;
      } finally {
        process.off('SIGINT', onSignal);
      }
      progress.stop();
      const tCompute = (Date.now() - t0) / 1000;
      // Vega, Vega-Lite and resvg load only when a figure is rendered (keeps every other command fast to start).
      const { figureSpec, renderPng, renderSvg } = await import('../sweep/plot.js');
      let offset = 0;
      const written: string[] = [];
      const warnings: string[] = [];
      for (const plan of plans) {
        const fd = plan.assemble(results.slice(offset, offset + plan.jobs.length));
        offset += plan.jobs.length;
        warnings.push(...fd.warnings);
        if (formats.includes('csv')) {
          for (const t of fd.tables) {
            const p = join(dir, `${t.name}.csv`);
            await writeFileAtomicAsync(p, tableCsv(fd, t));
            written.push(p);
          }
        }
        if (formats.includes('svg') || formats.includes('png')) {
          const svg = await renderSvg(figureSpec(fd));
          if (formats.includes('svg')) { await writeFileAtomicAsync(join(dir, `${fd.id}.svg`), svg); written.push(join(dir, `${fd.id}.svg`)); }
          if (formats.includes('png')) { await writeFileAtomicAsync(join(dir, `${fd.id}.png`), renderPng(svg)); written.push(join(dir, `${fd.id}.png`)); }
        }
      }
      if (!quiet) {
        process.stderr.write(
          `qbwave: wrote ${written.length} files to ${dir} (computed in ${tCompute.toFixed(1)} s, total ${((Date.now() - t0) / 1000).toFixed(1)} s, ${threads} thread${threads === 1 ? '' : 's'})\n` +
            warnings.map((w) => `qbwave: warning: ${w}\n`).join(''),
        );
      }
    });
}
