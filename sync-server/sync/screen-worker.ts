/**
 * A worker thread of the screening pool (screen-pool.ts): parses a `_bulk_docs` body and runs the
 * shared document check on it (`screenDocs`: schema, ids, revision shape — CPU only, nothing
 * read from the store), then answers by position in the batch. The request thread keeps its own
 * parse of the same text, so no document crosses between threads: only the verdicts do.
 */
import { parentPort } from 'node:worker_threads';
import { screenVerdicts, type ScreenTask, type ScreenAnswer } from './screen-docs.ts';

/**
 * Test only (NODE_ENV=test, as test-faults.ts): a batch holding a document with this `_id`
 * ends this thread part way through its check, as a crash would.
 */
const crashOnId = process.env.NODE_ENV === 'test' ? process.env.CARE_TEST_SCREEN_CRASH_ID : undefined;

parentPort!.on('message', (task: ScreenTask) => {
  let answer: ScreenAnswer;
  try {
    // As the request thread's parser (secure-json-parse) reads it: a leading byte-order mark is skipped.
    const text = task.text.charCodeAt(0) === 0xfeff ? task.text.slice(1) : task.text;
    const docs = (JSON.parse(text) as { docs: unknown[] }).docs;
    if (crashOnId && docs.some((d) => (d as { _id?: unknown } | null)?._id === crashOnId)) process.exit(70);
    answer = { id: task.id, ok: true, verdicts: screenVerdicts(docs, task.unitId, task.newEdits) };
  } catch (e) {
    answer = { id: task.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(answer);
});
