/**
 * Output times without rounding noise. The output grid of Eq. (3)'s solution is t_n = n·dt
 * (n = 0 … N); computed in binary floating point, 3 × 0.3 is 0.8999999999999999, not 0.9. Here dt is
 * read as its shortest round-trip decimal m·10⁻ᵏ (the text `String(dt)`, i.e. what a user typed),
 * n·m·10⁻ᵏ is formed exactly, and t_n is the double nearest to it: 0.9 for n = 3, dt = 0.3. The times
 * differ from the floating product n·dt by at most a few units in the last place, far below any
 * solver tolerance (≥ 1e-14 absolute on c, whose time derivative is O(1)).
 */

/** dt = m·10⁻ᵏ exactly, for the shortest decimal that rounds to dt (dt > 0, finite). */
export function decimalParts(dt: number): { m: bigint; k: number } {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(dt));
  if (!match) throw new RangeError(`decimalParts: ${dt} is not a positive finite number`);
  const frac = match[2] ?? '';
  let k = frac.length - Number(match[3] ?? 0);
  let m = BigInt(`${match[1]}${frac}`);
  if (k < 0) { m *= 10n ** BigInt(-k); k = 0; }
  return { m, k };
}

/** The grid t_n, n = 0 … points − 1: each t_n the double nearest to n × (the decimal dt). */
export function decimalGrid(dt: number, points: number): Float64Array {
  const t = new Float64Array(points);
  const { m, k } = decimalParts(dt);
  // Fast path: while n·m ≤ 2^53 and k ≤ 22, n·m and 10^k are exact doubles, so one division
  // rounds correctly. Beyond (dt with 17 digits, or below 1e-22): exact BigInt product, parsed.
  const mNum = Number(m);
  const nFast = k <= 22 && m <= 2n ** 53n ? Math.min(points, Math.floor(2 ** 53 / mNum) + 1) : 1;
  const scale = 10 ** k;
  for (let n = 1; n < nFast; n++) t[n] = (n * mNum) / scale;
  for (let n = Math.max(nFast, 1); n < points; n++) t[n] = Number(`${BigInt(n) * m}e-${k}`); // string → double rounds correctly
  return t;
}
