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
 * exactly what `JSON.stringify` makes of the whole answer.
 */
import type { BulkGetResponse, ChangesResponse } from '../storage/port.ts';

const serialised = new WeakMap<object, string>();

/** `JSON.stringify(value)`, remembered for a frozen value. */
function jsonOf(value: object): string {
  if (!Object.isFrozen(value)) return JSON.stringify(value);
  let text = serialised.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    serialised.set(value, text);
  }
  return text;
}

type BulkGetEntry = BulkGetResponse['results'][number];

/** An entry of the usual shape (`{id, docs}`, in that order) is put together from its parts. */
const isPlainEntry = (entry: BulkGetEntry): boolean => {
  const keys = Object.keys(entry);
  return keys.length === 2 && keys[0] === 'id' && keys[1] === 'docs' && Array.isArray(entry.docs);
};

export function bulkGetJson(response: BulkGetResponse): string {
  if (Object.keys(response).length !== 1 || !Array.isArray(response.results)) return JSON.stringify(response);
  const entries = response.results.map((entry) =>
    isPlainEntry(entry) ? `{"id":${JSON.stringify(entry.id)},"docs":${jsonOf(entry.docs)}}` : JSON.stringify(entry)
  );
  return `{"results":[${entries.join(',')}]}`;
}

export function changesJson(response: ChangesResponse): string {
  return jsonOf(response);
}
