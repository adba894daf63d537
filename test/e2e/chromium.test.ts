/**
 * The browser lookup of test/e2e/chromium.ts: order (QBWAVE_CHROMIUM, /usr/bin/chromium, the
 * bundled @sparticuz/chromium), a broken QBWAVE_CHROMIUM never falling through, and a failure that
 * says how to get a browser when there is none. The real launch is exercised by explorer.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserEnv, BUNDLED_PACKAGE, CHROMIUM_ARGS, CHROMIUM_ENV, resolveChromium, SYSTEM_CHROMIUM, type ResolvedChromium } from './chromium.js';

const dir = mkdtempSync(join(tmpdir(), 'qbwave-chromium-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, mode: number): string {
  const p = join(dir, name);
  writeFileSync(p, '#!/bin/sh\n');
  chmodSync(p, mode);
  return p;
}

const exe = file('chromium-exe', 0o755);
const notExe = file('chromium-plain', 0o644);
const missing = join(dir, 'no-such-chromium');
const bundledHit = async (): Promise<ResolvedChromium> => ({ source: BUNDLED_PACKAGE, executablePath: '/bundled/chromium', env: {}, description: 'bundled' });
const bundledMiss = async () => ({ unavailable: 'not installed (test)' });
const bundledNotCalled = async (): Promise<ResolvedChromium> => { throw new Error('the bundled step must not run'); };

describe('Chromium lookup for the browser tests', () => {
  it('QBWAVE_CHROMIUM comes first, before an existing system Chromium', async () => {
    const r = await resolveChromium({ env: { [CHROMIUM_ENV]: exe }, systemPath: exe, bundled: bundledNotCalled });
    expect(r.source).toBe(CHROMIUM_ENV);
    expect(r.executablePath).toBe(exe);
  });

  it('a set but missing or non-executable QBWAVE_CHROMIUM is an error naming the variable and value (no fall-through)', async () => {
    await expect(resolveChromium({ env: { [CHROMIUM_ENV]: missing }, systemPath: exe, bundled: bundledHit })).rejects.toThrow(`${CHROMIUM_ENV}=${missing}: no such file`);
    await expect(resolveChromium({ env: { [CHROMIUM_ENV]: notExe }, systemPath: exe, bundled: bundledHit })).rejects.toThrow(`${CHROMIUM_ENV}=${notExe}: not an executable file`);
    await expect(resolveChromium({ env: { [CHROMIUM_ENV]: dir }, systemPath: exe, bundled: bundledHit })).rejects.toThrow('not an executable file');
  });

  it('then the system Chromium, then the bundled one', async () => {
    expect((await resolveChromium({ env: {}, systemPath: exe, bundled: bundledNotCalled })).source).toBe(SYSTEM_CHROMIUM);
    // An empty variable counts as unset; a non-executable system path is skipped.
    expect((await resolveChromium({ env: { [CHROMIUM_ENV]: '' }, systemPath: notExe, bundled: bundledHit })).source).toBe(BUNDLED_PACKAGE);
    expect((await resolveChromium({ env: {}, systemPath: missing, bundled: bundledHit })).executablePath).toBe('/bundled/chromium');
  });

  it('no browser at all fails with the reason and the three ways to get one', async () => {
    const err = await resolveChromium({ env: {}, systemPath: missing, bundled: bundledMiss }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    expect(msg).toContain(`${CHROMIUM_ENV} is not set`);
    expect(msg).toContain(`${missing} does not exist`);
    expect(msg).toContain('not installed (test)');
    expect(msg).toContain('npm ci');
    expect(msg).toContain('apt-get install chromium');
    expect(msg).toContain(`${CHROMIUM_ENV}=/path/to/chromium`);
  });

  it('the browser gets an English locale (LANG=C makes the headless shell report the invalid tag "en-US@posix") and the bundled build\'s libraries', async () => {
    const found = await resolveChromium({ env: {}, systemPath: missing, bundled: async () => ({ source: BUNDLED_PACKAGE, executablePath: '/b/chromium', env: { LD_LIBRARY_PATH: '/b/lib' }, description: 'b' }) });
    const env = browserEnv(found, { LANG: 'C.UTF-8', LC_ALL: 'C', HOME: '/root' });
    expect(env).toEqual({ LANG: 'en_US.UTF-8', HOME: '/root', LD_LIBRARY_PATH: '/b/lib' });
  });

  it('launch flags stay headless, root-safe and quiet on the network', () => {
    for (const flag of ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']) expect(CHROMIUM_ARGS).toContain(flag);
  });
});
