/**
 * What to do when the server answers a replication batch with 413 (request body too large).
 *
 * PouchDB's replicator does not adapt: the failed `_bulk_docs` aborts the replication with the
 * 413 error. A one-off replication rejects with it (documents of earlier batches stay written
 * and checkpointed); a live one (`retry: true`) backs off and starts again with the SAME
 * batch_size, meets the same 413, and so stalls for ever, further apart each time.
 *
 * So the client restarts the replication itself with half the batch size after a 413, down to
 * one document per batch. Earlier batches are not sent again: the checkpoint carries them.
 * Only a single document larger than the server's limit still fails, with that 413.
 */

export const DEFAULT_BATCH_SIZE = 100;
export const MIN_BATCH_SIZE = 1;

/** A 413 as PouchDB reports it (status on the error; `too_large` as CouchDB names it). */
export function isTooLarge(error: unknown): boolean {
  const e = error as { status?: unknown; statusCode?: unknown; name?: unknown; error?: unknown } | null;
  return !!e && (e.status === 413 || e.statusCode === 413 || e.name === 'too_large' || e.error === 'too_large');
}

/** The batch size to try after `error`, or null when halving cannot help. */
export function nextBatchSize(current: number, error: unknown): number | null {
  if (!isTooLarge(error) || current <= MIN_BATCH_SIZE) return null;
  return Math.max(MIN_BATCH_SIZE, Math.floor(current / 2));
}

export interface ShrinkingOptions {
  /** The batch size to start with (the last one that worked, for instance). */
  initial?: number;
  /** Told each time the batch size is halved. */
  onShrink?: (from: number, to: number, error: unknown) => void;
}

/**
 * Runs `replicateOnce(batchSize)` (a one-off PouchDB replication with `batch_size` and
 * `batches_limit` set from it) and halves the batch size after each 413 until it passes.
 * Bounded: at most log2(initial) + 1 attempts. Any other error is thrown as it came.
 */
export async function replicateWithShrinkingBatches<T>(
  replicateOnce: (batchSize: number) => Promise<T>,
  options: ShrinkingOptions = {}
): Promise<{ result: T; batchSize: number }> {
  let batchSize = Math.max(MIN_BATCH_SIZE, Math.floor(options.initial ?? DEFAULT_BATCH_SIZE));
  for (;;) {
    try {
      return { result: await replicateOnce(batchSize), batchSize };
    } catch (error) {
      const next = nextBatchSize(batchSize, error);
      if (next === null) throw error;
      options.onShrink?.(batchSize, next, error);
      batchSize = next;
    }
  }
}
