/**
 * `npm run bench`: runs every bench/*.bench.ts in turn (each prints its own table of medians and
 * measured errors). Pass a name fragment to run a subset: `npm run bench -- volterra`.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts') && f.includes(filter)).sort();
console.log(`qbwave benchmarks — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
for (const f of files) {
  console.log(`\n## ${f}`);
  const mod = await import(join(here, f));
  if (typeof mod.run === 'function') await mod.run();
}
