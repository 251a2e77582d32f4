/**
 * The schema-version policy this build of the app reads documents with: the domain's, or a
 * test-only one a browser test installs before the app starts (docs/schema-versions.md, "Proving
 * it in the browser") — the counterpart of the server's `versions` option: the production registry
 * has no steps yet, so without it there would be nothing for a built app to upgrade.
 */
import { upgradeDoc, VERSION_POLICY, type Doc, type VersionPolicy } from '../domain/schema-versions.ts';

export function activeVersionPolicy(): VersionPolicy {
  return (globalThis as { __CARE_FIELD_TEST_VERSIONS__?: VersionPolicy }).__CARE_FIELD_TEST_VERSIONS__ ?? VERSION_POLICY;
}

/**
 * `doc` upgraded to the version this build reads, or undefined when it cannot be (a newer version,
 * a missing step, or a throwing one): the list leaves it out, where the server's readUpgraded
 * serves it as stored.
 */
export function readableDoc<T>(doc: object): T | undefined {
  try {
    const result = upgradeDoc(doc as Doc, activeVersionPolicy());
    return result.ok ? (result.doc as unknown as T) : undefined;
  } catch {
    return undefined;
  }
}
