import type { Command } from 'commander';
import { ParameterError } from '../../src/errors.js';
import { DEBYE, guideFor, NV_DIPOLE_DEBYE, omega11 } from '../../src/model/waveguide.js';
import { designWaveguide, type DesignInput } from '../../src/studies/design.js';
import { checkGamma11, MAX_DIPOLE_DEBYE } from '../designGamma.js';
import { parseNumberFlag } from '../args.js';
import { UsageError } from '../errors.js';
import { fmt } from '../modelOptions.js';
import { EFFECTIVE_RANGES } from '../../src/spectrum/classification.js';
import { DECIMAL_SOURCE, PLAIN_DECIMAL } from '../../src/decimal.js';
import { allModesBelow, defaultMaxCutoff, multimodeStudy, type ModelSteady, type MultimodeStudy } from '../../src/studies/multimode.js';
import { MAX_CUTOFF_RANGE, MAX_MODES, modeAmplitude } from '../../src/model/reservoirs/multimode.js';
import type { DesignResult } from '../../src/studies/design.js';

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

/** One model's steady state as design reports it. */
interface MultimodeModel {
  modes: string;
  bareOmega0: number;
  boundStates: Array<{ energy: number; batteryWeight: number; amplitude: number }>;
  count: number;
  regime: string;
  energyMin: number;
  energyMax: number;
  ergotropyMax: number;
  status: string;
}

/** The multimode section of `qbwave design` (issue 11 item 2): see multimodeSection. */
export interface DesignMultimode {
  /** Every TM mode with cutoff < maxCutoff that couples at (x0, y0) (s_mn ≠ 0), lowest first, at most MAX_MODES. */
  maxCutoff: number;
  modes: Array<{ name: string; cutoff: number; amplitude: number; open: boolean }>;
  /** True when more coupled modes lie below maxCutoff than MAX_MODES (the lowest were kept). */
  truncated: boolean;
  /** Coupled modes with cutoff < ω0 (TM11 included when ω0 > ω11). */
  openModes: string[];
  /** The next coupled mode above ω0 (same as `nextMode`, from the mode list). */
  nextClosedMode: { name: string; cutoff: number } | null;
  /** The added modes' first-order effect at ω0, ω11 (multimodeStudy's addedModes). */
  addedModes: MultimodeStudy['addedModes'];
  single: MultimodeModel;
  /** At equal bare ω0 (the definition of the multimode scene). */
  bare: MultimodeModel & { change: { energyMax: number; energyMin: number; ergotropyMax: number; boundStateEnergies: number[] } };
  /** At equal Lamb-shifted ω0 (bare ω0 − Σ_added,jj(ω0)), or null with `renormalisedError` saying why. */
  renormalised: (MultimodeModel & { change: { energyMax: number; energyMin: number; ergotropyMax: number; boundStateEnergies: number[] } }) | null;
  renormalisedError: string | null;
  notes: string[];
  /** Wall time of the two or three bound-state computations, s. */
  seconds: number;
}

const modelOf = (m: ModelSteady): MultimodeModel => ({
  modes: m.modes, bareOmega0: m.bareOmega0, boundStates: m.boundStates, count: m.count, regime: m.regime,
  energyMin: m.energyMin, energyMax: m.energyMax, ergotropyMax: m.ergotropyMax, status: m.status,
});

/**
 * Single-mode vs multimode guide at the designed point (src/studies/multimode.ts): the TM modes a z
 * dipole at (x0, y0) couples to below maxCutoff (default max(4, ω0 + 1) ω11), which are open at ω0,
 * and the change of the bound states, E(∞) and W(∞) when they are included — at equal bare ω0 and at
 * equal Lamb-shifted ω0. A few bound-state solves: ≈ 0.1 s.
 */
export function multimodeSection(r: DesignResult, maxCutoffFlag: number | undefined): DesignMultimode {
  const t0 = Date.now();
  const aspect = r.b / r.a;
  const x = r.x0 / r.a;
  const y = r.y0 / r.b;
  const maxCutoff = maxCutoffFlag ?? defaultMaxCutoff(r.omega0);
  const coupled = allModesBelow(maxCutoff, aspect).filter((m) => modeAmplitude(m.m, m.n, x, y) !== 0);
  const kept = coupled.slice(0, MAX_MODES);
  const input = { omega0: r.omega0, gamma11: r.gamma11, dz: r.dz, aspect, x, y, modes: kept.map((m) => m.name), observationTime: r.observationTime };
  const s = multimodeStudy(input);
  const change = (m: ModelSteady) => ({
    energyMax: m.energyMax - s.single.energyMax, energyMin: m.energyMin - s.single.energyMin, ergotropyMax: m.ergotropyMax - s.single.ergotropyMax,
    boundStateEnergies: m.boundStates.slice(0, s.single.boundStates.length).map((b, i) => b.energy - s.single.boundStates[i]!.energy),
  });
  let renormalised: DesignMultimode['renormalised'] = null;
  let renormalisedError: string | null = null;
  try {
    const q = multimodeStudy({ ...input, renormalise: true });
    renormalised = { ...modelOf(q.multi), change: change(q.multi) };
  } catch (err) {
    if (!(err instanceof ParameterError)) throw err;
    renormalisedError = err.allowed;
  }
  const notes = [...s.notes];
  if (coupled.length > kept.length) notes.push(`${coupled.length} TM modes below ${maxCutoff}ω11 couple at this position; the lowest ${MAX_MODES} were kept`);
  return {
    maxCutoff,
    modes: s.modes.filter((m) => m.couples).map((m) => ({ name: m.name, cutoff: m.cutoff, amplitude: m.amplitude, open: m.open })),
    truncated: coupled.length > kept.length,
    openModes: s.openModes,
    nextClosedMode: s.nextClosedMode,
    addedModes: s.addedModes,
    single: modelOf(s.single),
    bare: { ...modelOf(s.multi), change: change(s.multi) },
    renormalised,
    renormalisedError,
    notes,
    seconds: (Date.now() - t0) / 1000,
  };
}

const signed = (x: number, d = 4) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toPrecision(d)}` : String(x));

/** The text lines of the multimode section. */
export function multimodeLines(m: DesignMultimode): string[] {
  const states = (x: MultimodeModel) => (x.boundStates.length ? x.boundStates.map((b) => `E = ${fmt(b.energy, 6)} (battery weight ${fmt(b.batteryWeight, 4)})`).join(', ') : 'none');
  const model = (label: string, x: MultimodeModel, change?: { energyMax: number; ergotropyMax: number; boundStateEnergies: number[] }) =>
    `  ${label}: ${x.count} bound state(s) ${states(x)}; E(∞) in [${fmt(x.energyMin, 4)}, ${fmt(x.energyMax, 4)}] ω11, max W(∞) = ${fmt(x.ergotropyMax, 4)} ω11` +
    (change ? ` — change ${signed(change.energyMax)} (max E), ${signed(change.ergotropyMax)} (max W), levels ${change.boundStateEnergies.map((d) => signed(d)).join(', ') || '—'} ω11` : '') +
    (x.status === 'success' ? '' : ` [${x.status}]`);
  const a = m.addedModes;
  const names = (list: string[]) => (list.length > 12 ? `${list.slice(0, 12).join(', ')}, … (${list.length} in all; --json lists them)` : list.join(', '));
  return [
    `multimode guide: ${m.modes.length} TM mode(s) couple below ${fmt(m.maxCutoff, 4)} ω11 at this position${m.truncated ? ` (lowest ${m.modes.length} kept)` : ''}: ${names(m.modes.map((x) => x.name))}`,
    `  open at ω0: ${m.openModes.length ? names(m.openModes) : 'none (ω0 below every cutoff)'}; next coupled mode ${m.nextClosedMode ? `${m.nextClosedMode.name} at ${fmt(m.nextClosedMode.cutoff, 5)} ω11` : 'none in the list'}`,
    Number.isFinite(a.selfShift)
      ? `  added modes at ω0: self shift ${fmt(a.selfShift, 4)} ω11, charger–battery term ${fmt(a.crossShift, 4)} ω11, decay rate into open added modes 2πJ = ${fmt(a.decayRate, 4)} ω11`
      : `  added modes at ω0: no first-order shift (ω0 sits on a coupled cutoff, where J diverges); decay rate into the other open added modes 2πJ = ${fmt(a.decayRate, 4)} ω11`,
    model('single mode (TM11, the paper)', m.single),
    model(`multimode, equal bare ω0 = ${fmt(m.bare.bareOmega0, 6)}`, m.bare, m.bare.change),
    m.renormalised
      ? model(`multimode, equal Lamb-shifted ω0 (bare ${fmt(m.renormalised.bareOmega0, 6)})`, m.renormalised, m.renormalised.change)
      : `  multimode, equal Lamb-shifted ω0: not available (${m.renormalisedError})`,
    `  ω0 is the bare frequency of Eq. (1) with the listed modes; the summed Lamb shift of all modes diverges, so the change depends on the list (--max-cutoff sets it) (${m.seconds.toFixed(2)} s)`,
  ];
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
    .option('--max-cutoff <C>', 'multimode section: include every TM mode coupled at (x0, y0) with cutoff below C·ω11 (default max(4, ω0/ω11 + 1))')
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
      const maxCutoff = opts.maxCutoff === undefined ? undefined : parseNumberFlag('--max-cutoff', opts.maxCutoff, { ...MAX_CUTOFF_RANGE, unit: 'ω11; TM modes with cutoff below it are included' });
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
      // The multimode comparison is an addition: a point it cannot treat (e.g. Γ at the centre Γ11/s11² above
      // the model's range for an emitter near a wall) is reported in its place, not as a failure of design.
      let multimode: DesignMultimode | { error: string };
      try {
        multimode = multimodeSection(r, maxCutoff);
      } catch (err) {
        if (!(err instanceof ParameterError)) throw err;
        multimode = { error: err.message };
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...r, multimode, units: { wavelength: 'm', a: 'm', b: 'm', omega11: 'rad/s', frequency11: 'Hz', lambda11: 'm', omega0: 'omega11', gamma11: 'omega11', dz: 'lambda11', gamma11PerSecond: '1/s', distance: 'm', dipole: 'C m', x0: 'm', y0: 'm', energies: 'omega11', exchangePeriod: '1/omega11', exchangePeriodSeconds: 's', observationTime: '1/omega11', observationTimeSeconds: 's', multimode: 'omega11 (cutoffs, energies, shifts, rates); seconds: s' } })}\n`);
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
        ...('error' in multimode ? [`multimode guide: not available: ${multimode.error}`] : multimodeLines(multimode)),
        ...r.notes.map((n) => `note: ${n}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
