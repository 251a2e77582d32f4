/**
 * A test-only schema version, to prove the version mechanism while the app is at version 1
 * (docs/schema-versions.md): "version 0" person records kept the national ID as a bare string
 * `nationalIdNumber` (or none); version 1 holds `nationalId: {status, number, source}`.
 * TEST_VERSIONS is the policy a server and a tablet of version 1 would have after that change.
 */
import type { Doc, VersionPolicy } from '../../src/lib/domain/schema-versions.ts';
import { SCHEMA_VERSION, type PersonDoc } from '../../src/lib/domain/schemas.ts';

export function personV0ToV1(doc: Doc): Doc {
  const { nationalIdNumber, ...rest } = doc;
  if (rest.nationalId !== undefined) return rest; // already in the new shape
  return {
    ...rest,
    nationalId:
      typeof nationalIdNumber === 'string' && nationalIdNumber !== ''
        ? { status: 'number', number: nationalIdNumber, source: 'typed' }
        : { status: 'unknown' }
  };
}

export const TEST_VERSIONS: VersionPolicy = { current: SCHEMA_VERSION, registry: { person: { 0: personV0ToV1 } } };

/** A person record as a version-0 tablet wrote it. */
export function asVersion0(person: PersonDoc): Doc {
  const { nationalId, ...rest } = person;
  return { ...rest, schemaVersion: 0, ...(nationalId?.status === 'number' ? { nationalIdNumber: nationalId.number } : {}) };
}
