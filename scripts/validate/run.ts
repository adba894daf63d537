/**
 * Runs the validation studies whose figures docs/methods.md and README.md quote.
 *
 *   npm run validate                 # all studies (tens of minutes on 2 cores)
 *   npm run validate -- nearBic20    # one study by name (several: nearBic20,smallDz)
 *   npm run validate -- --list       # names and descriptions
 *   npm run validate -- --quiet …    # only the `figure … = …` lines and failures, not every case
 *
 * Every study is seeded, so a run prints the same figures (timings aside) on any machine.
 */
import { study as crossRandom } from './crossRandom.js';
import { studies as nearBic } from './nearBic.js';
import { study as smallDz } from './smallDz.js';
import { study as tolSweep } from './tolSweep.js';
import { study as fastCheck } from './fastCheck.js';
import { study as nufft } from './nufft.js';
import { study as besselK0 } from './besselK0.js';
import { study as estimates } from './estimates.js';
import type { Study } from './common.js';

const STUDIES: Study[] = [crossRandom, ...nearBic, smallDz, tolSweep, fastCheck, nufft, besselK0, estimates];

const args = process.argv.slice(2);
const verbose = !args.includes('--quiet');
const names = args.filter((a) => !a.startsWith('--')).flatMap((a) => a.split(',')).filter((a) => a !== '');
if (args.includes('--list')) {
  for (const s of STUDIES) console.log(`${s.name}: ${s.description}`);
  process.exit(0);
}
const unknown = names.filter((n) => !STUDIES.some((s) => s.name === n));
if (unknown.length > 0) {
  console.error(`validate: unknown study '${unknown[0]}' (allowed: ${STUDIES.map((s) => s.name).join(', ')})`);
  process.exit(2);
}
for (const s of names.length > 0 ? STUDIES.filter((x) => names.includes(x.name)) : STUDIES) {
  const start = performance.now();
  console.log(`## ${s.name}: ${s.description}`);
  s.run(verbose);
  console.log(`## ${s.name} done in ${((performance.now() - start) / 1000).toFixed(0)} s\n`);
}
