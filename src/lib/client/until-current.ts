/**
 * Report answers say per unit whether its projection was still catching up ("stale"): a report
 * screen asks again every 2 s until none is, and stops when it leaves or asks something else.
 */

export const RETRY_WHILE_STALE_MS = 2000;

interface UnitsAnswer {
  units: readonly { stale: boolean }[];
}

/** Whether any unit of these answers was still catching up. */
export const anyStale = (...answers: UnitsAnswer[]): boolean => answers.some((a) => a.units.some((u) => u.stale));

/**
 * Calls `ask` now and again while `stale(answer)`; `onAnswer` / `onError` get each outcome until
 * the returned function is called (an $effect's cleanup), after which nothing more is reported.
 */
export function askUntilCurrent<T>(
  ask: () => Promise<T>,
  stale: (answer: T) => boolean,
  onAnswer: (answer: T) => void,
  onError: (message: string) => void
): () => void {
  let cancelled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const load = () =>
    ask().then(
      (answer) => {
        if (cancelled) return;
        onAnswer(answer);
        if (stale(answer)) timer = setTimeout(load, RETRY_WHILE_STALE_MS);
      },
      (e: unknown) => {
        if (!cancelled) onError(e instanceof Error ? e.message : String(e));
      }
    );
  void load();
  return () => {
    cancelled = true;
    clearTimeout(timer);
  };
}
