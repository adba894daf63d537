import cliProgress from 'cli-progress';

/** A progress bar on stderr, shown only when stderr is a TTY and `enabled`; update(fraction in [0,1]). */
export function startProgress(enabled: boolean, label: string): { update: (f: number) => void; stop: () => void } {
  if (!enabled || !process.stderr.isTTY || process.env.CI) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: `${label} [{bar}] {percentage}% | ETA {eta_formatted}`, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar.start(1000, 0);
  let last = 0;
  return {
    update: (f) => {
      const now = Date.now();
      if (now - last > 100 || f >= 1) { bar.update(Math.round(1000 * Math.min(1, Math.max(0, f)))); last = now; }
    },
    stop: () => bar.stop(),
  };
}
