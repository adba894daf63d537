import cliProgress from 'cli-progress';

/**
 * A progress bar with rate and ETA on stderr (cli-progress). Silent when stderr is not a terminal or
 * `quiet` is set, so logs and pipes stay clean.
 */
export interface Progress {
  /** Adds `n` finished units. */
  tick(n: number): void;
  stop(): void;
}

export function createProgress(label: string, total: number, initial = 0, quiet = false): Progress {
  if (quiet || !process.stderr.isTTY || total <= 0) return { tick() {}, stop() {} };
  const start = Date.now();
  let done = initial;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate}/s | elapsed {duration_formatted} | ETA {eta_formatted}`,
      barsize: 30,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, initial, { rate: '-' });
  return {
    tick(n: number) {
      done += n;
      const secs = (Date.now() - start) / 1000;
      bar.update(done, { rate: secs > 0 ? ((done - initial) / secs).toFixed(0) : '-' });
    },
    stop() {
      bar.stop();
    },
  };
}
