/**
 * Helpers of the browser end-to-end tests: build the explorer with Vite's API, serve the static
 * files on 127.0.0.1 with a tiny node:http server, launch Chromium through playwright-core (found by
 * ./chromium.ts: QBWAVE_CHROMIUM, then /usr/bin/chromium, then the npm package @sparticuz/chromium),
 * decode PNG screenshots, and run the CLI.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { inflateSync } from 'node:zlib';
import { execFile, spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';

export const ROOT = resolve(import.meta.dirname, '../..');
export { CHROMIUM_ARGS, launchChromium, resolveChromium } from './chromium.js';

/** Builds the explorer into a fresh temporary directory (so app/dist and a running dev server are left alone). */
export async function buildSite(): Promise<{ outDir: string; ms: number; cleanup: () => void }> {
  const { build } = await import('vite');
  const outDir = mkdtempSync(join(tmpdir(), 'qbwave-app-'));
  const t0 = performance.now();
  await build({ configFile: join(ROOT, 'app/vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true, sourcemap: false } });
  return { outDir, ms: performance.now() - t0, cleanup: () => rmSync(outDir, { recursive: true, force: true }) };
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/** Serves `dir` on 127.0.0.1 at a free port. `isolate` adds the COOP/COEP headers (SharedArrayBuffer). */
export async function serve(dir: string, isolate = true): Promise<{ url: string; close: () => Promise<void> }> {
  const root = resolve(dir);
  const server: Server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      let file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) { res.writeHead(403).end(); return; }
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      const headers: Record<string, string> = { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' };
      if (isolate) { headers['Cross-Origin-Opener-Policy'] = 'same-origin'; headers['Cross-Origin-Embedder-Policy'] = 'require-corp'; }
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export interface DecodedPng { width: number; height: number; channels: number; data: Uint8Array }

/** Decodes an 8-bit, non-interlaced PNG (grey, RGB or RGBA; what Chromium writes) into raw pixels. */
export function decodePng(buf: Buffer): DecodedPng {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let off = 8;
  let width = 0, height = 0, bitDepth = 0, colorType = 0, interlace = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') { width = data.readUInt32BE(0); height = data.readUInt32BE(4); bitDepth = data[8]; colorType = data[9]; interlace = data[12]; }
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (bitDepth !== 8 || !channels || interlace) throw new Error(`unsupported PNG: depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels] : 0;
      let v = raw[src + x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) { const p = a + b - c; const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c); v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      out[y * stride + x] = v & 255;
    }
  }
  return { width, height, channels, data: out };
}

/** Number of distinct colours and the fraction of pixels that are not the most common colour. */
export function colourStats(img: DecodedPng): { distinct: number; nonBackground: number } {
  const counts = new Map<number, number>();
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const o = i * img.channels;
    const key = img.channels >= 3 ? (img.data[o] << 16) | (img.data[o + 1] << 8) | img.data[o + 2] : img.data[o];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const top = Math.max(...counts.values());
  return { distinct: counts.size, nonBackground: 1 - top / n };
}

export interface CliSpectrum { boundStates: { channel: '+' | '-'; energy: number; residue: number; inContinuum: boolean }[]; count: number }

/** How to run the CLI: the compiled one (bin/qbwave.js → dist/) if built, else the TypeScript source through tsx. */
function cliCommand(args: string[]): string[] {
  return existsSync(join(ROOT, 'dist/cli/main.js'))
    ? [join(ROOT, 'bin/qbwave.js'), ...args]
    : ['--import', 'tsx', join(ROOT, 'cli/main.ts'), ...args];
}

function spectrumArgs(omega0: number, dz: number, gamma: number): string[] {
  return ['spectrum', '--omega0', String(omega0), '--dz', String(dz), '--gamma', String(gamma), '--json'];
}

const cliCache = new Map<string, Promise<CliSpectrum>>();

/** Starts `qbwave spectrum --json` runs in the background (they take ~0.3 s each); cliSpectrum then reads them. */
export function prefetchCliSpectrum(points: [number, number, number?][]): Promise<unknown> {
  return Promise.all(points.map(([w, d, g]) => cliSpectrumAsync(w, d, g ?? 0.5)));
}

export function cliSpectrumAsync(omega0: number, dz: number, gamma = 0.5): Promise<CliSpectrum> {
  const key = `${omega0},${dz},${gamma}`;
  let p = cliCache.get(key);
  if (!p) {
    const args = spectrumArgs(omega0, dz, gamma);
    p = new Promise<CliSpectrum>((res, rej) => {
      execFile(process.execPath, cliCommand(args), { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
        if (err) rej(new Error(`qbwave ${args.join(' ')} failed: ${err.message}\n${stderr}`));
        else res(JSON.parse(stdout) as CliSpectrum);
      });
    });
    p.catch(() => undefined); // reported where it is awaited, not as an unhandled rejection
    cliCache.set(key, p);
  }
  return p;
}

/** The CLI's `spectrum --json` for the given parameters (synchronous spawn). */
export function cliSpectrum(omega0: number, dz: number, gamma = 0.5): CliSpectrum {
  const args = spectrumArgs(omega0, dz, gamma);
  const r = spawnSync(process.execPath, cliCommand(args), { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`qbwave ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as CliSpectrum;
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

declare global {
  /** The explorer's test hooks (typed in app/src/main.ts; `any` here, where the app is not compiled). */
  interface Window {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    __qbwave: any;
  }
}
