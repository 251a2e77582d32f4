/**
 * Schema versions of synced documents (docs/schema-versions.md). Every document carries the
 * `schemaVersion` it was written under. The policy: the server accepts the current version N and
 * N−1, stores a document as written (its revision id names that exact body) and upgrades it on
 * read; the tablet migrates its unsynced work and drafts when the app updates
 * (src/lib/client/migrate-local.ts). Both use the registry below, so they upgrade identically.
 *
 * An upgrade step turns a document of version v into version v+1 of the same type. Steps are
 * pure and total: they never throw and never drop a field they do not understand (it is carried
 * over for the schema to judge). Version 1 is the first version, so the production registry has
 * no steps yet; the mechanism is proven with a test-only version (schema-versions.test.ts and
 * the integration test of a tablet upgrade).
 */
import { SCHEMA_VERSION } from './schemas.ts';

export type Doc = Record<string, unknown>;
export type UpgradeStep = (doc: Doc) => Doc;
/** Steps by document type, then by the version they upgrade FROM. */
export type UpgradeRegistry = Record<string, Record<number, UpgradeStep>>;

export interface VersionPolicy {
  current: number;
  registry: UpgradeRegistry;
}

/** The versions this build reads: none before 1 exist, so there are no steps yet. */
export const UPGRADES: UpgradeRegistry = {};

export const VERSION_POLICY: VersionPolicy = { current: SCHEMA_VERSION, registry: UPGRADES };

export type Upgraded = { ok: true; doc: Doc; upgraded: boolean } | { ok: false; reason: string };

/**
 * `doc` at the policy's current version. Versions N−1 (and older ones with every step present,
 * for drafts kept across several updates) are upgraded step by step on a copy; a newer version
 * than this build knows, or a missing step, is refused with a reason naming the versions. A step
 * that throws is a bug of this build, not a property of the document: it throws here, so the
 * tablet's start migration changes nothing and tries again after the next update
 * (migrate-local.ts); readers that must not fail use `readUpgraded`.
 */
export function upgradeDoc(doc: Doc, policy: VersionPolicy = VERSION_POLICY): Upgraded {
  const version = doc.schemaVersion;
  if (version === policy.current) return { ok: true, doc, upgraded: false };
  const accepted = `${policy.current - 1}–${policy.current}`;
  if (typeof version !== 'number' || !Number.isInteger(version) || version > policy.current)
    return {
      ok: false,
      reason: `schemaVersion: รุ่นของข้อมูลไม่รองรับ (รับได้ ${accepted}) กรุณาอัปเดตแอป / unsupported schema version ${String(version)} (accepted: ${accepted}); update the app`
    };
  const type = String(doc.type);
  let current: Doc = { ...doc };
  for (let v = version; v < policy.current; v++) {
    const step = policy.registry[type]?.[v];
    if (!step)
      return {
        ok: false,
        reason: `schemaVersion: ข้อมูลรุ่น ${version} เก่าเกินไป (รับได้ ${accepted}) / schema version ${version} is too old (accepted: ${accepted})`
      };
    current = { ...step(current), schemaVersion: v + 1 };
  }
  return { ok: true, doc: current, upgraded: true };
}

/** For readers that must not fail: the upgraded document, or the document as it is. */
export function readUpgraded<T extends Doc>(doc: T, policy: VersionPolicy = VERSION_POLICY): T {
  try {
    const result = upgradeDoc(doc, policy);
    return (result.ok ? result.doc : doc) as T;
  } catch {
    return doc; // a throwing step: served as stored rather than not at all
  }
}
