/**
 * The partner-agency catalog in force, kept as one document in the `system` database (through the
 * storage port, so every server instance on one CouchDB serves the same catalog). Without it the
 * shipped catalog is in force. Every edit is written to the audit trail (catalog entries are
 * organisations, not personal data: the audit names the edit and the entry id).
 */
import {
  applyCatalogEdit,
  catalogSchema,
  initialCatalog,
  type Catalog,
  type CatalogEdit
} from '../../src/lib/domain/services/catalog.ts';
import { recordEvent } from '../audit-events.ts';
import { isConflict, isNotFound, type DocumentStore } from '../storage/port.ts';

export const CATALOG_DOC_ID = 'agency-catalog';

export interface CatalogInForce {
  catalog: Catalog;
  /** Changes with every edit: tablets keep their copy until the version moves. */
  version: string;
  updatedAt?: string;
  updatedBy?: string;
}

interface CatalogDoc {
  _id: string;
  _rev?: string;
  type: 'agency-catalog';
  catalog: Catalog;
  updatedAt: string;
  updatedBy: string;
}

async function storedCatalog(system: DocumentStore): Promise<CatalogDoc | null> {
  try {
    const doc = (await system.get(CATALOG_DOC_ID)) as unknown as CatalogDoc;
    return doc.type === 'agency-catalog' ? doc : null;
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
}

export async function catalogInForce(system: DocumentStore): Promise<CatalogInForce> {
  const stored = await storedCatalog(system);
  if (!stored) return { catalog: initialCatalog(), version: 'initial' };
  return { catalog: stored.catalog, version: stored._rev ?? 'stored', updatedAt: stored.updatedAt, updatedBy: stored.updatedBy };
}

export type CatalogEditResult = { ok: true; inForce: CatalogInForce } | { ok: false; status: 400 | 409; reason: string };

function targetOf(edit: CatalogEdit): string {
  switch (edit.op) {
    case 'add-agency':
      return edit.agency.id;
    case 'add-service':
      return `${edit.agencyId}/${edit.service.id}`;
    case 'add-office':
    case 'update-office':
      return `office/${edit.office.id}`;
    case 'retire':
      return edit.serviceId ? `${edit.agencyId}/${edit.serviceId}` : edit.agencyId;
    case 'retire-office':
      return `office/${edit.officeId}`;
  }
}

/**
 * Applies one edit on top of `expectedVersion` (the version the administrator's screen showed):
 * a concurrent edit answers 409, so nobody overwrites another's change unseen.
 */
export async function editCatalog(
  system: DocumentStore,
  audit: DocumentStore,
  username: string,
  edit: CatalogEdit,
  expectedVersion: string
): Promise<CatalogEditResult> {
  const stored = await storedCatalog(system);
  const current = stored ? stored.catalog : initialCatalog();
  const currentVersion = stored?._rev ?? 'initial';
  if (expectedVersion !== currentVersion)
    return {
      ok: false,
      status: 409,
      reason: 'รายชื่อหน่วยงานถูกแก้ไขพร้อมกัน กรุณาโหลดใหม่ / The catalog was changed by someone else: reload and try again.'
    };
  const result = applyCatalogEdit(current, edit);
  if (!result.ok) return { ok: false, status: 400, reason: result.reason };
  // The caps of the schema hold after the edit too (at most 500 agencies, 5000 offices …).
  const checked = catalogSchema.safeParse(result.catalog);
  if (!checked.success) return { ok: false, status: 400, reason: checked.error.issues[0].message };
  const at = new Date().toISOString();
  const doc: CatalogDoc = {
    _id: CATALOG_DOC_ID,
    ...(stored?._rev && { _rev: stored._rev }),
    type: 'agency-catalog',
    catalog: result.catalog,
    updatedAt: at,
    updatedBy: username
  };
  let rev: string;
  try {
    rev = (await system.put({ ...doc })).rev;
  } catch (e) {
    if (isConflict(e))
      return {
        ok: false,
        status: 409,
        reason: 'รายชื่อหน่วยงานถูกแก้ไขพร้อมกัน กรุณาโหลดใหม่ / The catalog was changed by someone else: reload and try again.'
      };
    throw e;
  }
  await recordEvent(audit, { action: 'catalog-change', actor: username, target: targetOf(edit), why: edit.op });
  return { ok: true, inForce: { catalog: result.catalog, version: rev, updatedAt: at, updatedBy: username } };
}
