/**
 * CSV export: a few "# " comment lines (what, parameters, units), one header row, then one row per
 * abscissa value; numbers at full precision (shortest round-trip form), empty cells for gaps (NaN).
 */
import type { Figure } from './figures.js';
import type { BoundStateOut, SteadyOut } from './protocol.js';

export function csvCell(v: string | number): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function figureToCsv(fig: Figure, comments: string[] = []): string {
  const lines: string[] = [`# ${fig.title}`, ...comments.map((c) => `# ${c}`)];
  for (const b of fig.bands) lines.push(`# band "${b.label}": ${b.y0} .. ${b.y1}`);
  for (const mk of fig.markers) lines.push(`# marker ${mk.label} at x = ${mk.x}, y = ${mk.y}`);
  lines.push([fig.xColumn, ...fig.series.map((s) => s.column)].map(csvCell).join(','));
  for (let i = 0; i < fig.x.length; i++) {
    lines.push([fig.x[i], ...fig.series.map((s) => (i < s.values.length ? s.values[i] : Number.NaN))].map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** The results panel as CSV: one row per bound state, steady-state values as comments. */
export function resultsToCsv(states: BoundStateOut[], steady: SteadyOut, comments: string[] = []): string {
  const lines = [
    '# qbwave explorer: bound states (Eq. 7-8) and steady state (Eq. 8)',
    ...comments.map((c) => `# ${c}`),
    `# bound states below the band edge M = ${steady.count}, effective = ${steady.effectiveCount}`,
    `# E(inf) range (omega11) = ${steady.energyMin} .. ${steady.energyMax}`,
    `# W(inf) max (omega11) = ${steady.ergotropyMax}`,
    `# oscillation frequency (omega11) = ${steady.frequency}`,
    'channel,energy (omega11),residue,in continuum',
    ...states.map((b) => [b.channel, b.energy, b.residue, String(b.inContinuum)].map(csvCell).join(',')),
  ];
  return `${lines.join('\n')}\n`;
}
