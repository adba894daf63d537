/**
 * Finds the Chromium the browser end-to-end tests drive through playwright-core, in this order:
 *
 *  1. `QBWAVE_CHROMIUM` — a path set by the user; it must name an executable file, otherwise the
 *     tests fail saying so (a set but broken variable never falls through to another browser);
 *  2. `/usr/bin/chromium` — a system Chromium (Debian/Ubuntu package `chromium`);
 *  3. the headless Chromium inside the npm package `@sparticuz/chromium` (a pinned devDependency, so
 *     `npm ci` brings it). Its `executablePath()` unpacks brotli archives into `os.tmpdir()`; we run it
 *     in a child process whose TMPDIR is a private staging directory and then rename that directory
 *     to `node_modules/.cache/qbwave-chromium/<version>/`, so concurrent test processes never see a
 *     half-written binary, and a stale `/tmp/chromium` of another version is never picked up. The
 *     NSS libraries it links against are unpacked beside it (the package's `al2023.tar.br`) and put on
 *     LD_LIBRARY_PATH, and a fontconfig file adds its Open Sans to the system fonts, so it runs on
 *     a machine that has neither.
 *
 * No browser at all is an error (the tests fail, never skip) whose message says how to get one.
 */
import { execFile } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');

/** The environment variable that names a Chromium to use before any other. */
export const CHROMIUM_ENV = 'QBWAVE_CHROMIUM';
/** The system Chromium looked for second. */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
/** The npm package whose bundled headless Chromium is looked for third. */
export const BUNDLED_PACKAGE = '@sparticuz/chromium';

/**
 * Flags for every Chromium we launch: headless, runnable as root (no sandbox), no GPU, and quiet
 * on the network (no background requests, component updates, sync or first-run pages).
 */
export const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export const HOW_TO_GET_ONE =
  `Get one in any of these ways: run \`npm ci\` (installs the pinned devDependency ${BUNDLED_PACKAGE}, a headless Chromium for Linux x64), ` +
  `\`apt-get install chromium\` (provides ${SYSTEM_CHROMIUM}), or set ${CHROMIUM_ENV}=/path/to/chromium.`;

export interface ResolvedChromium {
  /** Which step of the lookup found it. */
  source: typeof CHROMIUM_ENV | typeof SYSTEM_CHROMIUM | typeof BUNDLED_PACKAGE;
  executablePath: string;
  /** Extra environment for the browser process (the bundled build's libraries and fonts). */
  env: Record<string, string>;
  /** A one-line description for logs, e.g. "@sparticuz/chromium 147.0.0 (…/chromium)". */
  description: string;
}

export interface ResolveOptions {
  /** Environment to read QBWAVE_CHROMIUM from (default: process.env). */
  env?: Record<string, string | undefined>;
  /** The system path looked at second (default /usr/bin/chromium). */
  systemPath?: string;
  /** The bundled-Chromium step (default: unpack @sparticuz/chromium); returns the reason when it is unavailable. */
  bundled?: () => Promise<ResolvedChromium | { unavailable: string }>;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks for a Chromium in the stated order; throws an Error saying how to get one when there is none. */
export async function resolveChromium(opts: ResolveOptions = {}): Promise<ResolvedChromium> {
  const env = opts.env ?? process.env;
  const fromEnv = env[CHROMIUM_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`${CHROMIUM_ENV}=${fromEnv}: no such file (it must name a Chromium executable). ${HOW_TO_GET_ONE}`);
    if (!isExecutableFile(fromEnv)) throw new Error(`${CHROMIUM_ENV}=${fromEnv}: not an executable file (it must name a Chromium executable). ${HOW_TO_GET_ONE}`);
    return { source: CHROMIUM_ENV, executablePath: fromEnv, env: {}, description: `${CHROMIUM_ENV}=${fromEnv}` };
  }
  const systemPath = opts.systemPath ?? SYSTEM_CHROMIUM;
  if (isExecutableFile(systemPath)) return { source: SYSTEM_CHROMIUM, executablePath: systemPath, env: {}, description: `system Chromium ${systemPath}` };
  const bundled = await (opts.bundled ?? unpackBundledChromium)();
  if ('executablePath' in bundled) return bundled;
  throw new Error(
    `No Chromium for the browser tests: ${CHROMIUM_ENV} is not set, ${systemPath} does not exist, and the bundled one is unavailable (${bundled.unavailable}). ${HOW_TO_GET_ONE}`,
  );
}

/** Script run in a child process whose TMPDIR is the staging directory: unpack the browser, its fonts, SwiftShader and the NSS libraries there. */
const UNPACK_SCRIPT = `
const { join } = await import('node:path');
const { pathToFileURL } = await import('node:url');
const pkgDir = process.argv[1];
const { default: Chromium } = await import(pathToFileURL(join(pkgDir, 'build/esm/index.js')).href);
const { inflate } = await import(pathToFileURL(join(pkgDir, 'build/esm/lambdafs.js')).href);
const exe = await Chromium.executablePath();
await inflate(join(pkgDir, 'bin/al2023.tar.br'));
process.stdout.write(exe);
`;

/**
 * Step 3: the headless Chromium of @sparticuz/chromium, unpacked once (≈ 200 MB; 18 s measured on 2 busy cores) into
 * node_modules/.cache/qbwave-chromium/<version>/ and reused afterwards.
 */
export async function unpackBundledChromium(): Promise<ResolvedChromium | { unavailable: string }> {
  if (process.platform !== 'linux' || process.arch !== 'x64') return { unavailable: `${BUNDLED_PACKAGE} ships Linux x64 only; this is ${process.platform} ${process.arch}` };
  let main: string;
  try {
    main = createRequire(join(ROOT, 'package.json')).resolve(BUNDLED_PACKAGE);
  } catch {
    return { unavailable: `${BUNDLED_PACKAGE} is not installed in ${join(ROOT, 'node_modules')}` };
  }
  // Its exports map hides package.json, so walk up from the entry point to the package directory.
  let pkgDir = dirname(main);
  while (!existsSync(join(pkgDir, 'package.json')) || !pkgDir.endsWith(join('@sparticuz', 'chromium'))) {
    if (dirname(pkgDir) === pkgDir) return { unavailable: `no package directory above ${main}` };
    pkgDir = dirname(pkgDir);
  }
  const pkgJson = join(pkgDir, 'package.json');
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  const cacheRoot = join(ROOT, 'node_modules/.cache/qbwave-chromium');
  const dir = join(cacheRoot, version);
  const exe = join(dir, 'chromium');
  const ready = (): ResolvedChromium => ({
    source: BUNDLED_PACKAGE,
    executablePath: exe,
    env: { LD_LIBRARY_PATH: join(dir, 'al2023/lib'), FONTCONFIG_FILE: join(dir, 'fonts.conf') },
    description: `${BUNDLED_PACKAGE} ${version} (${exe})`,
  });
  // The directory appears only by an atomic rename of a complete staging directory.
  if (isExecutableFile(exe)) return ready();
  mkdirSync(cacheRoot, { recursive: true });
  const staging = mkdtempSync(join(cacheRoot, `.staging-${version}-`));
  try {
    const r = await new Promise<{ error: Error | null; stdout: string; stderr: string }>((res) => {
      execFile(process.execPath, ['--input-type=module', '-e', UNPACK_SCRIPT, pkgDir], { env: { ...process.env, TMPDIR: staging }, encoding: 'utf8', timeout: 300_000 }, (error, stdout, stderr) => res({ error, stdout, stderr }));
    });
    if (r.error || r.stdout !== join(staging, 'chromium')) {
      return { unavailable: `unpacking ${BUNDLED_PACKAGE} ${version} failed (${r.error?.message.split('\n')[0] ?? `printed ${JSON.stringify(r.stdout)}`}): ${r.stderr.trim().slice(0, 500)}` };
    }
    // System fonts (if any) plus the package's Open Sans, so text renders on a machine without fonts.
    const xml = (path: string) => path.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    writeFileSync(
      join(staging, 'fonts.conf'),
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        '<fontconfig>',
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
        `  <dir>${xml(join(dir, 'fonts/fonts'))}</dir>`,
        `  <cachedir>${xml(join(dir, 'fonts-cache'))}</cachedir>`,
        '</fontconfig>',
        '',
      ].join('\n'),
    );
    try {
      chmodSync(staging, 0o755);
      renameSync(staging, dir);
    } catch (e) {
      // Another process finished first: use its copy.
      if (!isExecutableFile(exe)) throw e;
    }
    return ready();
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The browser's environment: ours plus the bundled build's libraries and fonts, with an English
 * locale. Under LANG=C (or C.UTF-8, common in containers and CI) the headless shell reports
 * navigator.language = "en-US@posix", which `new Intl.NumberFormat(navigator.language)` (uPlot, at
 * load) rejects with "RangeError: Invalid language tag", so the explorer never starts; Debian's
 * Chromium maps C to en-US itself. (--lang=en-US does not change this in the headless shell.)
 */
export function browserEnv(found: ResolvedChromium, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && k !== 'LC_ALL' && k !== 'LC_MESSAGES' && k !== 'LANGUAGE') env[k] = v;
  return { ...env, ...found.env, LANG: 'en_US.UTF-8' };
}

/** Resolves a Chromium (see the module comment) and launches it headless through playwright-core. */
export async function launchChromium(): Promise<{ browser: Browser; chromium: ResolvedChromium }> {
  const found = await resolveChromium();
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: found.executablePath, args: CHROMIUM_ARGS, env: browserEnv(found) });
  return { browser, chromium: found };
}
