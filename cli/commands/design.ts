import type { Command } from 'commander';
import { ParameterError } from '../../src/errors.js';
import { DEBYE, guideFor, NV_DIPOLE_DEBYE, omega11 } from '../../src/model/waveguide.js';
import { designWaveguide, type DesignInput } from '../../src/studies/design.js';
import { checkGamma11, MAX_DIPOLE_DEBYE } from '../designGamma.js';
import { parseNumberFlag } from '../args.js';
import { UsageError } from '../errors.js';
import { fmt } from '../modelOptions.js';
import { EFFECTIVE_RANGES } from '../../src/battery/classification.js';
import { DECIMAL_SOURCE, PLAIN_DECIMAL } from '../../src/decimal.js';

const UNITS: Record<string, number> = { m: 1, cm: 1e-2, mm: 1e-3, um: 1e-6, 'µm': 1e-6, 'μm': 1e-6, nm: 1e-9, pm: 1e-12 };

const TIME_UNITS: Record<string, number> = { s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ns: 1e-9, ps: 1e-12, fs: 1e-15 };

/** Parses a time with a unit (s, ms, us/µs, ns, ps, fs), e.g. "1us"; UsageError naming the flag. */
export function parseTimeFlag(flag: string, raw: unknown): number {
  const text = String(raw ?? '');
  const m = new RegExp(`^(${DECIMAL_SOURCE})(s|ms|us|µs|μs|ns|ps|fs)$`).exec(text);
  const v = m ? Number(m[1]) * TIME_UNITS[m[2]!]! : Number.NaN;
  if (!(Number.isFinite(v) && v > 0)) throw new UsageError(`${flag} ${JSON.stringify(text)}: must be a positive time with a unit, e.g. 1us, 20ns, 341ps`);
  return v;
}

/** Parses a length with a unit (m, cm, mm, um/µm, nm, pm), e.g. "637nm", "0.45um"; UsageError naming the flag. */
export function parseLengthFlag(flag: string, raw: unknown): number {
  const text = String(raw ?? '');
  if (text !== text.trim()) throw new UsageError(`${flag} ${JSON.stringify(text)}: has surrounding whitespace; must be a positive length with a unit, e.g. 637nm, 0.45um, 1.2mm`);
  const m = new RegExp(`^(${DECIMAL_SOURCE})\\s*(m|cm|mm|um|µm|μm|nm|pm)$`).exec(text);
  const v = m ? Number(m[1]) * UNITS[m[2]!]! : Number.NaN;
  if (!(Number.isFinite(v) && v > 0)) throw new UsageError(`${flag} ${JSON.stringify(text)}: must be a positive length with a unit, e.g. 637nm, 0.45um, 1.2mm`);
  return v;
}

/**
 * A transverse position strictly inside the guide: a plain number in (0, 1) is a fraction of the
 * side, a length with a unit is absolute and must be in (0, side). On a wall (0 or the side) the
 * TM11 coupling sin(πx0/a)·sin(πy0/b) of Eq. (2) vanishes, so Γ11 = 0: refused here, naming the flag.
 * Returns the fraction of the side (exact as typed) and the position in metres.
 */
function parsePosition(flag: string, raw: unknown, side: number): { fraction: number; metres: number } {
  const text = String(raw);
  if (PLAIN_DECIMAL.test(text)) {
    const fraction = parseNumberFlag(flag, text, { min: 0, minOpen: true, max: 1, maxOpen: true, unit: 'fraction of the side; on a wall, 0 or 1, TM11 does not couple' });
    return { fraction, metres: fraction * side };
  }
  const v = parseLengthFlag(flag, text);
  if (!(v < side)) throw new UsageError(`${flag} ${JSON.stringify(text)}: must be inside the guide, in (0, ${si(side, 'm')}) (on a wall TM11 does not couple)`);
  return { fraction: v / side, metres: v };
}


const str = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));

/**
 * A library ParameterError from designWaveguide as a UsageError naming the flag the user actually
 * gave: a sized guide's ω0/ω11 or size comes from --wavelength (and --omega0-ratio), a given guide's
 * ω0/ω11 = λ11/λ0 from --a/--b, a Δz from --distance when that was the flag used.
 */
function designError(err: ParameterError, opts: Record<string, unknown>): UsageError {
  const haveA = opts.a !== undefined;
  const given = (flag: string, key: string) => `${flag} ${JSON.stringify(String(opts[key]))}`;
  const value = typeof err.value === 'number' ? fmt(err.value, 6) : String(err.value);
  switch (err.parameter) {
    case 'omega0Ratio':
      if (haveA) return new UsageError(`${given('--a', 'a')}${opts.b !== undefined ? ` (--b ${JSON.stringify(String(opts.b))})` : ''} with ${given('--wavelength', 'wavelength')}: gives ω0/ω11 = λ11/λ0 = ${value}; ${err.allowed}`);
      return new UsageError(`${given('--omega0-ratio', 'omega0Ratio')}: ${err.allowed}`);
    case 'a': case 'b':
      if (haveA) return new UsageError(`${given(`--${err.parameter}`, err.parameter)}: ${err.allowed}`);
      return new UsageError(`${given('--wavelength', 'wavelength')}: sizes a guide side of ${value} m; ${err.allowed}`);
    case 'gamma11':
      return new UsageError(`--dipole/--x0/--y0: give Γ11 = ${value} ω11; ${err.allowed}`);
    case 'dz':
      if (opts.distance !== undefined) return new UsageError(`${given('--distance', 'distance')}: is Δz = ${value} λ11; ${err.allowed}`);
      return new UsageError(`${given('--dz', 'dz')}: ${err.allowed}`);
    default: {
      const flag = `--${err.parameter.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      const key = err.parameter;
      return new UsageError(opts[key] !== undefined ? `${given(flag, key)}: ${err.allowed}` : `${flag} ${value}: ${err.allowed}`);
    }
  }
}

function si(x: number, unit: string): string {
  const prefixes: Array<[number, string]> = [[1e-12, 'p'], [1e-9, 'n'], [1e-6, 'µ'], [1e-3, 'm'], [1, '']];
  let best: [number, string] = [1, ''];
  for (const p of prefixes) if (Math.abs(x) >= p[0]) best = p;
  return `${(x / best[0]).toPrecision(5)} ${best[1]}${unit}`;
}

/** `qbwave design`: waveguide dimensions and model parameters for an emitter at wavelength λ0. */
export function registerDesign(program: Command): void {
  program
    .command('design')
    .description('size the waveguide for an emitter (or analyse a given one): a, b, λ11, Γ11/ω11, Δz and the bound-state regime')
    .requiredOption('--wavelength <L>', 'emitter vacuum wavelength λ0 with a unit, e.g. 637nm (NV⁻ zero-phonon line)')
    .option('--omega0-ratio <R>', 'target ω0/ω11 (sizes the guide); e.g. 1.0 (max stored energy) or 0.6 (max ergotropy)')
    .option('--aspect <B/A>', 'aspect ratio b/a of the sized guide (1 = square)', '1')
    .option('--a <L>', 'given guide width a with a unit (instead of --omega0-ratio)')
    .option('--b <L>', 'given guide height b with a unit (default: b = a)')
    .option('--dipole <D>', `transition dipole in debye (default ${NV_DIPOLE_DEBYE}: NV⁻ centre, from its 12 ns radiative lifetime)`)
    .option('--x0 <X>', 'transverse position: fraction of a in (0, 1) or a length with a unit in (0, a) (default 0.5: centre)')
    .option('--y0 <Y>', 'transverse position: fraction of b in (0, 1) or a length with a unit in (0, b) (default 0.5: centre)')
    .option('--dz <D>', 'charger–battery distance in λ11 (default 0.1)')
    .option('--distance <L>', 'charger–battery distance with a unit (instead of --dz)')
    .option('--observation-time <T>', 'observation time of the "2D" test with a unit (s, ms, us, ns, ps, fs); default the longer of 2000/ω11 and ten radiative lifetimes 10/Γ11')
    .option('--json', 'print one JSON object instead of a table')
    .action((opts: Record<string, unknown>) => {
      const wavelength = parseLengthFlag('--wavelength', opts.wavelength);
      const haveRatio = opts.omega0Ratio !== undefined;
      const haveA = opts.a !== undefined;
      if (haveRatio === haveA) throw new UsageError('--omega0-ratio / --a: give exactly one (size a guide for a target ω0/ω11, or analyse a given guide)');
      if (!haveA && opts.b !== undefined) throw new UsageError('--b: only with --a');
      if (opts.dz !== undefined && opts.distance !== undefined) throw new UsageError('--dz / --distance: give one, not both');
      const input: DesignInput = { wavelength };
      if (haveRatio) {
        input.omega0Ratio = parseNumberFlag('--omega0-ratio', opts.omega0Ratio, { min: 0, minOpen: true, max: 10, unit: 'ω0/ω11' });
        input.aspect = parseNumberFlag('--aspect', opts.aspect, { min: 0.01, max: 100, unit: 'b/a' });
      } else {
        const a = parseLengthFlag('--a', opts.a);
        input.guide = { a, b: opts.b === undefined ? a : parseLengthFlag('--b', opts.b) };
      }
      const dipoleDebye = opts.dipole === undefined ? NV_DIPOLE_DEBYE : parseNumberFlag('--dipole', opts.dipole, { min: 0, minOpen: true, max: MAX_DIPOLE_DEBYE, unit: 'debye; the library takes at most 1e-25 C·m' });
      if (opts.dipole !== undefined) input.dipole = dipoleDebye * DEBYE;
      if (opts.dz !== undefined) input.dz = parseNumberFlag('--dz', opts.dz, { min: 0, max: 20, unit: 'units of λ11' });
      if (opts.distance !== undefined) input.distance = parseLengthFlag('--distance', opts.distance);
      const observationSeconds = opts.observationTime === undefined ? undefined : parseTimeFlag('--observation-time', opts.observationTime);
      let r;
      try {
        // The guide (given, or sized from λ0 and the target ω0/ω11), then the position inside it.
        const guide = input.guide ?? guideFor(wavelength, input.omega0Ratio!, input.aspect ?? 1);
        const x0 = opts.x0 === undefined ? { fraction: 0.5, metres: guide.a / 2 } : parsePosition('--x0', opts.x0, guide.a);
        const y0 = opts.y0 === undefined ? { fraction: 0.5, metres: guide.b / 2 } : parsePosition('--y0', opts.y0, guide.b);
        if (opts.x0 !== undefined) input.x0 = x0.metres;
        if (opts.y0 !== undefined) input.y0 = y0.metres;
        checkGamma11({
          guide, dipoleDebye, u: x0.fraction, v: y0.fraction,
          given: { dipole: str(opts.dipole), x0: str(opts.x0), y0: str(opts.y0), a: str(opts.a), b: str(opts.b), wavelength: str(opts.wavelength) },
        });
        if (observationSeconds !== undefined) {
          // seconds → 1/ω11 with this guide's ω11; steadyState's range (0, 1e12]/ω11, named with the flag.
          const w11 = omega11(guide);
          const t = observationSeconds * w11;
          const tMaxObs = EFFECTIVE_RANGES.observationTime.max;
          if (!(t > 0 && t <= tMaxObs)) throw new UsageError(`--observation-time ${JSON.stringify(String(opts.observationTime))}: is ${t.toPrecision(4)}/ω11 in this guide; must be in (0, 1e12]/ω11 (up to ${si(tMaxObs / w11, 's')})`);
          input.observationTime = t;
        }
        r = designWaveguide(input);
      } catch (err) {
        if (err instanceof ParameterError) throw designError(err, opts);
        throw err;
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...r, units: { wavelength: 'm', a: 'm', b: 'm', omega11: 'rad/s', frequency11: 'Hz', lambda11: 'm', omega0: 'omega11', gamma11: 'omega11', dz: 'lambda11', gamma11PerSecond: '1/s', distance: 'm', dipole: 'C m', x0: 'm', y0: 'm', energies: 'omega11', exchangePeriod: '1/omega11', exchangePeriodSeconds: 's', observationTime: '1/omega11', observationTimeSeconds: 's' } })}\n`);
        return;
      }
      const lines = [
        `emitter: λ0 = ${si(r.wavelength, 'm')}, dipole ${fmt(r.dipoleDebye, 4)} D (${r.dipole.toExponential(4)} C·m), at x0 = ${si(r.x0, 'm')}, y0 = ${si(r.y0, 'm')}`,
        `waveguide: a = ${si(r.a, 'm')}, b = ${si(r.b, 'm')}${r.a === r.b ? ' (square)' : ''}`,
        `TM11 cutoff: ω11 = ${r.omega11.toExponential(5)} rad/s (${si(r.frequency11, 'Hz')}), λ11 = ${si(r.lambda11, 'm')}`,
        `model parameters: ω0 = ${fmt(r.omega0, 6)} ω11, Γ11 = ${r.gamma11.toExponential(4)} ω11 (${r.gamma11PerSecond.toExponential(4)} s⁻¹), Δz = ${fmt(r.dz, 6)} λ11 (${si(r.distance, 'm')})`,
        `single-mode model: ${r.nextMode ? `next coupled mode TM${r.nextMode.m}${r.nextMode.n} at ${fmt(r.nextMode.ratio, 5)} ω11 — ${r.singleMode ? 'ω0 below it: valid' : 'ω0 ABOVE it: incomplete'}` : 'no other TM mode couples'}`,
        `regime: M = ${r.count} bound state(s) (exact), effective ${r.effectiveCount}: "${r.regime}" (2D: beat period longer than the observation time ${r.observationTime.toPrecision(4)}/ω11 = ${si(r.observationTimeSeconds, 's')}${observationSeconds === undefined ? ', the longer of 2000/ω11 and 10/Γ11; --observation-time sets it' : ''})`,
        ...r.boundStates.map((b) => `  E${b.channel} = ${fmt(b.energy)} ω11, Z${b.channel} = ${fmt(b.residue, 6)}`),
        `steady state: max E(∞) = ${fmt(r.energyMax, 6)} ω11, max W(∞) = ${fmt(r.ergotropyMax, 6)} ω11` +
          (Number.isFinite(r.exchangePeriod) ? `, exchange period 2π/|E− − E+| = ${r.exchangePeriod.toPrecision(4)}/ω11 = ${si(r.exchangePeriodSeconds, 's')}` : ''),
        `the paper's Γ11 = 0.5ω11 would need a dipole of ${(r.dipoleForPaperGamma / DEBYE).toPrecision(4)} D at this position`,
        ...r.notes.map((n) => `note: ${n}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
