/**
 * Replication answers (`_bulk_get`, `_changes`) as JSON text, with the parts many tablets ask
 * for serialised once. When a unit's tablets sync together they pull the same recent revisions
 * and the same feed page: the embedded store hands every one of them the same frozen objects
 * (storage/read-cache.ts, the shared reads of storage/embedded.ts), and turning those into JSON
 * again for each tablet was a large share of a pull's CPU.
 *
 * Only frozen values are remembered, keyed by the object itself (a WeakMap, so the text goes
 * when the cache drops the value): a frozen value cannot change after it was serialised, and a
 * write makes the store hand out new objects. Anything else is serialised as it is. The text is
 * exactly what `JSON.stringify` makes of the whole answer, as UTF-8 bytes: remembered as bytes,
 * a shared part is encoded once too, and the answer goes out as a Buffer (a string answer was
 * scanned once more for its Content-Length and encoded again on every send: Thai text is not
 * one byte per character).
 */
import type { BulkGetResponse, ChangesResponse } from '../storage/port.ts';

const serialised = new WeakMap<object, Buffer>();

/** `JSON.stringify(value)` as UTF-8, remembered for a frozen value. */
function jsonOf(value: object): Buffer {
  if (!Object.isFrozen(value)) return Buffer.from(JSON.stringify(value));
  let bytes = serialised.get(value);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(value));
    serialised.set(value, bytes);
  }
  return bytes;
}

const RESULTS_OPEN = Buffer.from('{"results":[');
const RESULTS_CLOSE = Buffer.from(']}');
const COMMA = Buffer.from(',');
const ENTRY_CLOSE = Buffer.from('}');

type BulkGetEntry = BulkGetResponse['results'][number];

/** An entry of the usual shape (`{id, docs}`, in that order) is put together from its parts. */
const isPlainEntry = (entry: BulkGetEntry): boolean => {
  const keys = Object.keys(entry);
  return keys.length === 2 && keys[0] === 'id' && keys[1] === 'docs' && Array.isArray(entry.docs);
};

export function bulkGetJson(response: BulkGetResponse): Buffer {
  if (Object.keys(response).length !== 1 || !Array.isArray(response.results)) return Buffer.from(JSON.stringify(response));
  const parts: Buffer[] = [RESULTS_OPEN];
  response.results.forEach((entry, i) => {
    if (i > 0) parts.push(COMMA);
    if (!isPlainEntry(entry)) return parts.push(Buffer.from(JSON.stringify(entry)));
    parts.push(Buffer.from(`{"id":${JSON.stringify(entry.id)},"docs":`), jsonOf(entry.docs), ENTRY_CLOSE);
  });
  parts.push(RESULTS_CLOSE);
  // (`as never`: this TypeScript's Uint8Array and @types/node's Buffer disagree on ArrayBufferLike.)
  return Buffer.concat(parts as never);
}

export function changesJson(response: ChangesResponse): Buffer {
  return jsonOf(response);
}
