/**
 * Waiting for work to finish without ever being held up by it: signing out waits for what the
 * screens, sync and the projection still have under way before it closes the databases, but a
 * stuck request must not keep the officer from signing out.
 */
export async function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    work.then(
      () => undefined,
      () => undefined
    ),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))
  ]);
  clearTimeout(timer);
}
