/**
 * Coalesced redraws for the explorer's pages: the returned function asks for one `render()` on the
 * next animation frame however often it is called before then, and calls `settle()` the frame after
 * that — when the user sees the drawing (the e2e tests wait on what settle marks).
 */
export function frameScheduler(render: () => void, settle: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      render();
      requestAnimationFrame(() => settle());
    });
  };
}
