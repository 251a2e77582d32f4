/**
 * Upgrade on read (docs/schema-versions.md): a document stored under schema version N−1 is
 * served as version N (src/lib/domain/schema-versions.ts) wherever a body leaves the server —
 * `_bulk_get`, a document GET and `_changes` with include_docs. Stored bodies are never
 * rewritten: with replication the revision id names the body the tablet sent.
 */
import { readUpgraded, type VersionPolicy } from '../../src/lib/domain/schema-versions.ts';
import type { BulkGetResponse, ChangesResponse, OpenRevsResult, StoredDoc } from '../storage/port.ts';

const needsUpgrade = (doc: unknown, policy: VersionPolicy): doc is StoredDoc =>
  doc !== null &&
  typeof doc === 'object' &&
  typeof (doc as StoredDoc).schemaVersion === 'number' &&
  (doc as StoredDoc).schemaVersion !== policy.current;

const upgradeOne = <T>(doc: T, policy: VersionPolicy): T => (needsUpgrade(doc, policy) ? (readUpgraded(doc, policy) as T) : doc);

// An answer with nothing to upgrade is handed back as it is (the same, possibly shared and frozen,
// objects), so its JSON can be made once for every tablet that asks (sync/answer-json.ts).

export function upgradeBulkGet(response: BulkGetResponse, policy: VersionPolicy): BulkGetResponse {
  const stale = response.results.some((r) => r.docs.some((d) => 'ok' in d && needsUpgrade(d.ok, policy)));
  if (!stale) return response;
  return {
    results: response.results.map((r) => ({ ...r, docs: r.docs.map((d) => ('ok' in d ? { ok: upgradeOne(d.ok, policy) } : d)) }))
  };
}

export function upgradeChanges(response: ChangesResponse, policy: VersionPolicy): ChangesResponse {
  if (!response.results.some((row) => row.doc && needsUpgrade(row.doc, policy))) return response;
  return { ...response, results: response.results.map((row) => (row.doc ? { ...row, doc: upgradeOne(row.doc, policy) } : row)) };
}

/** A document GET answers one document or, with open_revs, a list of leaves. */
export function upgradeGet(response: StoredDoc | OpenRevsResult, policy: VersionPolicy): StoredDoc | OpenRevsResult {
  if (Array.isArray(response)) return response.map((leaf) => ('ok' in leaf ? { ok: upgradeOne(leaf.ok, policy) } : leaf));
  return upgradeOne(response, policy);
}
