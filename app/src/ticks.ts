/**
 * Tick labels that stay distinct and readable at any scale: the fewest significant digits that tell
 * neighbouring ticks apart, and exponent notation for very small or very large magnitudes (uPlot's
 * default printed every tick of J±(ω) at Γ11 = 1e-5 as "0").
 */
export function tickLabels(splits: readonly number[]): string[] {
  const finite = splits.filter(Number.isFinite);
  if (finite.length === 0) return splits.map(() => '');
  const top = Math.max(...finite.map(Math.abs));
  if (top === 0) return splits.map((v) => (Number.isFinite(v) ? '0' : ''));
  const sorted = [...finite].sort((a, b) => a - b);
  let step = top;
  for (let k = 1; k < sorted.length; k++) if (sorted[k]! - sorted[k - 1]! > 0) step = Math.min(step, sorted[k]! - sorted[k - 1]!);
  const exponential = top < 1e-3 || top >= 1e5;
  const scale = exponential ? 10 ** Math.floor(Math.log10(top)) : 1;
  // The fewest decimals (of v, or of the mantissa v/scale) that represent every tick to 1e-6 of a step.
  let d = 0;
  while (d < 15 && finite.some((v) => Math.abs(Number((v / scale).toFixed(d)) * scale - v) > 1e-6 * step)) d++;
  const clean = (text: string) => (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text);
  return splits.map((v) => {
    if (!Number.isFinite(v)) return '';
    if (Math.abs(v) < 1e-9 * step) return '0';
    if (!exponential) return clean(v.toFixed(d));
    const e = Math.round(Math.log10(scale));
    return `${clean((v / scale).toFixed(d))}e${e}`;
  });
}

/** The top of a y axis that fits the data: `pad` above the largest finite value, at least `floor`. */
export function dataTop(series: ReadonlyArray<ArrayLike<number>>, floor: number, pad = 0.06): number {
  let top = 0;
  for (const s of series) for (let i = 0; i < s.length; i++) { const v = s[i]!; if (Number.isFinite(v) && v > top) top = v; }
  return Math.max(floor, top * (1 + pad));
}
