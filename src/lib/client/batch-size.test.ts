import { describe, expect, it } from 'vitest';
import { isTooLarge, nextBatchSize, replicateWithShrinkingBatches } from './batch-size.ts';

const tooLarge = () => Object.assign(new Error('too large'), { status: 413, name: 'too_large' });

describe('batch size after a 413', () => {
  it('recognises a 413 in PouchDB’s and CouchDB’s shapes, and nothing else', () => {
    expect(isTooLarge({ status: 413 })).toBe(true);
    expect(isTooLarge({ error: 'too_large' })).toBe(true);
    expect(isTooLarge({ status: 500 })).toBe(false);
    expect(isTooLarge(null)).toBe(false);
  });

  it('halves down to one, and stops for other errors', () => {
    expect(nextBatchSize(100, tooLarge())).toBe(50);
    expect(nextBatchSize(3, tooLarge())).toBe(1);
    expect(nextBatchSize(1, tooLarge())).toBeNull();
    expect(nextBatchSize(100, new Error('offline'))).toBeNull();
  });

  it('retries with half the batch until the replication passes, and reports the size that worked', async () => {
    const tried: number[] = [];
    const outcome = await replicateWithShrinkingBatches(async (size) => {
      tried.push(size);
      if (size > 20) throw tooLarge();
      return 'ok';
    });
    expect(tried).toEqual([100, 50, 25, 12]);
    expect(outcome).toEqual({ result: 'ok', batchSize: 12 });
  });

  it('throws any other error at once', async () => {
    let calls = 0;
    const offline = new Error('offline');
    await expect(
      replicateWithShrinkingBatches(async () => {
        calls++;
        throw offline;
      })
    ).rejects.toBe(offline);
    expect(calls).toBe(1);
  });
});
