/**
 * Waiting for the next paint: work that must not delay what was just put on screen (the 'saved'
 * banner) goes after it. A hidden tab gets no animation frames, so a short timer stands in there.
 */
const HIDDEN_TAB_FALLBACK_MS = 100;

export function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, HIDDEN_TAB_FALLBACK_MS);
    // A timer set inside the frame callback runs once that frame has been painted.
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0)
    );
  });
}
