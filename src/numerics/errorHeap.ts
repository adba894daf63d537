/**
 * A binary max-heap on `error`, for adaptive quadrature: the panel with the largest error estimate is
 * split next (src/numerics/quadrature.ts, src/dynamics/scene/continuumQuadrature.ts). O(log n) a push or pop.
 */

/** Adds p to the heap h (an array kept in heap order). */
export function heapPush<T extends { error: number }>(h: T[], p: T): void {
  h.push(p);
  let i = h.length - 1;
  while (i > 0) {
    const j = (i - 1) >> 1;
    if (h[j].error >= h[i].error) break;
    [h[i], h[j]] = [h[j], h[i]];
    i = j;
  }
}

/** Removes and returns the element of largest error (undefined when empty). */
export function heapPop<T extends { error: number }>(h: T[]): T | undefined {
  if (h.length === 0) return undefined;
  const top = h[0];
  const last = h.pop()!;
  if (h.length > 0) {
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l].error > h[m].error) m = l;
      if (r < h.length && h[r].error > h[m].error) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
  return top;
}
