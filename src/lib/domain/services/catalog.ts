/**
 * The partner-agency catalog as administrators keep it (docs/domain/partner-agencies.md: "reference data that
 * administrators must be able to edit (agencies change, local offices are added); ship it as the
 * initial set"): the shipped agencies and services (agencies.ts), the agencies, services and local
 * offices administrators added, and what they retired. Nothing is ever removed: a retired entry
 * is no longer offered, but a referral that names it still shows its name.
 *
 * The server stores the catalog and applies edits with `applyCatalogEdit`; tablets receive it
 * read-only and search it offline with `searchCatalog`.
 */
import { z } from 'zod';
import { AGENCIES } from '../agencies.ts';
import { HELP_NEEDS, type HelpNeed } from '../options.ts';
import { PHONE, requiredText, text } from '../schemas.ts';

const CATALOG_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const catalogId = z.string().regex(CATALOG_ID, { message: 'รหัสใช้ a-z 0-9 - / ids use a-z, 0-9 and -' });
/** Two-digit Thai province codes (10 Bangkok … 96 Narathiwat); none = nationwide. */
export const PROVINCE_CODE = /^[1-9][0-9]$/;
const provinces = z.array(z.string().regex(PROVINCE_CODE, { message: 'รหัสจังหวัด 2 หลัก / a two-digit province code' })).max(77);

export const catalogServiceSchema = z.strictObject({
  id: catalogId,
  th: requiredText(300),
  en: requiredText(300),
  needs: z.array(z.enum(HELP_NEEDS.values)).min(1).max(HELP_NEEDS.list.length),
  retired: z.boolean().optional()
});

export const catalogAgencySchema = z.strictObject({
  id: catalogId,
  th: requiredText(300),
  en: requiredText(300),
  ministry: z.strictObject({ th: text(300), en: text(300) }),
  services: z.array(catalogServiceSchema).max(100),
  retired: z.boolean().optional()
});

/** A local office of an agency, with its contact details and the provinces it serves. */
export const catalogOfficeSchema = z.strictObject({
  id: catalogId,
  agencyId: catalogId,
  th: requiredText(300),
  en: text(300).optional(),
  phone: z.string().regex(PHONE, { message: 'เบอร์โทรไม่ถูกต้อง / not a Thai phone number' }).optional(),
  address: text(500).optional(),
  contactPerson: text(200).optional(),
  provinces,
  retired: z.boolean().optional()
});

export const catalogSchema = z.strictObject({
  agencies: z.array(catalogAgencySchema).max(500),
  offices: z.array(catalogOfficeSchema).max(5000)
});

export type CatalogService = z.infer<typeof catalogServiceSchema>;
export type CatalogAgency = z.infer<typeof catalogAgencySchema>;
export type CatalogOffice = z.infer<typeof catalogOfficeSchema>;
export type Catalog = z.infer<typeof catalogSchema>;

/** The catalog as shipped: the agencies of docs/domain/partner-agencies.md, no local offices yet. */
export function initialCatalog(): Catalog {
  return {
    agencies: AGENCIES.map((a) => ({
      id: a.id,
      th: a.th,
      en: a.en,
      ministry: { ...a.ministry },
      services: a.services.map((s) => ({ ...s, needs: [...s.needs] }))
    })),
    offices: []
  };
}

/** What an administrator may do to the catalog. */
export const catalogEditSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('add-agency'), agency: catalogAgencySchema.omit({ retired: true }) }),
  z.strictObject({ op: z.literal('add-service'), agencyId: catalogId, service: catalogServiceSchema.omit({ retired: true }) }),
  z.strictObject({ op: z.literal('add-office'), office: catalogOfficeSchema.omit({ retired: true }) }),
  z.strictObject({ op: z.literal('update-office'), office: catalogOfficeSchema.omit({ retired: true }) }),
  z.strictObject({ op: z.literal('retire'), agencyId: catalogId, serviceId: catalogId.optional() }),
  z.strictObject({ op: z.literal('retire-office'), officeId: catalogId })
]);
export type CatalogEdit = z.infer<typeof catalogEditSchema>;

export type EditResult = { ok: true; catalog: Catalog } | { ok: false; reason: string };

/** The catalog after `edit` (a new object), or why the edit cannot be made. */
export function applyCatalogEdit(catalog: Catalog, edit: CatalogEdit): EditResult {
  const agency = (id: string) => catalog.agencies.find((a) => a.id === id);
  const next: Catalog = structuredClone(catalog);
  const nextAgency = (id: string) => next.agencies.find((a) => a.id === id)!;
  switch (edit.op) {
    case 'add-agency':
      if (agency(edit.agency.id))
        return {
          ok: false,
          reason: `มีหน่วยงานรหัส ${edit.agency.id} แล้ว / an agency with id ${edit.agency.id} exists (retired ones keep their id)`
        };
      next.agencies.push(structuredClone(edit.agency));
      return { ok: true, catalog: next };
    case 'add-service': {
      const a = agency(edit.agencyId);
      if (!a) return { ok: false, reason: `ไม่พบหน่วยงาน ${edit.agencyId} / no agency ${edit.agencyId}` };
      if (a.services.some((s) => s.id === edit.service.id))
        return { ok: false, reason: `มีบริการรหัส ${edit.service.id} แล้ว / service ${edit.service.id} exists` };
      nextAgency(a.id).services.push(structuredClone(edit.service));
      return { ok: true, catalog: next };
    }
    case 'add-office':
    case 'update-office': {
      if (!agency(edit.office.agencyId))
        return { ok: false, reason: `ไม่พบหน่วยงาน ${edit.office.agencyId} / no agency ${edit.office.agencyId}` };
      const i = next.offices.findIndex((o) => o.id === edit.office.id);
      if (edit.op === 'add-office' && i >= 0)
        return { ok: false, reason: `มีสำนักงานรหัส ${edit.office.id} แล้ว / office ${edit.office.id} exists` };
      if (edit.op === 'update-office' && i < 0)
        return { ok: false, reason: `ไม่พบสำนักงาน ${edit.office.id} / no office ${edit.office.id}` };
      if (edit.op === 'update-office' && next.offices[i].agencyId !== edit.office.agencyId)
        return { ok: false, reason: 'สำนักงานย้ายหน่วยงานไม่ได้ / an office cannot move to another agency' };
      if (i >= 0) next.offices[i] = { ...structuredClone(edit.office), ...(next.offices[i].retired && { retired: true }) };
      else next.offices.push(structuredClone(edit.office));
      return { ok: true, catalog: next };
    }
    case 'retire': {
      const a = agency(edit.agencyId);
      if (!a) return { ok: false, reason: `ไม่พบหน่วยงาน ${edit.agencyId} / no agency ${edit.agencyId}` };
      if (edit.serviceId === undefined) {
        nextAgency(a.id).retired = true;
        return { ok: true, catalog: next };
      }
      const s = nextAgency(a.id).services.find((x) => x.id === edit.serviceId);
      if (!s) return { ok: false, reason: `ไม่พบบริการ ${edit.serviceId} / no service ${edit.serviceId}` };
      s.retired = true;
      return { ok: true, catalog: next };
    }
    case 'retire-office': {
      const o = next.offices.find((x) => x.id === edit.officeId);
      if (!o) return { ok: false, reason: `ไม่พบสำนักงาน ${edit.officeId} / no office ${edit.officeId}` };
      o.retired = true;
      return { ok: true, catalog: next };
    }
  }
}

export interface CatalogQuery {
  need?: HelpNeed;
  /** Province code: offices serving it (or nationwide) are listed with the service. */
  province?: string;
  /** Words of the agency, service or office name, Thai or English. */
  text?: string;
}

export interface CatalogHit {
  agency: CatalogAgency;
  service: CatalogService;
  /** Offices of the agency that serve the province (all its offices when no province was asked). */
  offices: CatalogOffice[];
}

const norm = (s: string) => s.normalize('NFC').toLowerCase();

/**
 * Services that can be offered now (not retired, agency not retired) answering the need, with
 * the agency's offices in the area; with a province, an agency whose every office is elsewhere
 * and which has offices is left out (national agencies without listed offices stay in).
 */
export function searchCatalog(catalog: Catalog, query: CatalogQuery): CatalogHit[] {
  const words = query.text ? norm(query.text).split(/\s+/).filter(Boolean).slice(0, 10) : [];
  const hits: CatalogHit[] = [];
  for (const agency of catalog.agencies) {
    if (agency.retired) continue;
    const allOffices = catalog.offices.filter((o) => o.agencyId === agency.id && !o.retired);
    const offices = query.province
      ? allOffices.filter((o) => o.provinces.length === 0 || o.provinces.includes(query.province!))
      : allOffices;
    if (query.province && allOffices.length > 0 && offices.length === 0) continue;
    for (const service of agency.services) {
      if (service.retired) continue;
      if (query.need && !service.needs.includes(query.need)) continue;
      const haystack = norm(
        [agency.th, agency.en, service.th, service.en, ...offices.map((o) => `${o.th} ${o.en ?? ''}`)].join(' ')
      );
      if (!words.every((w) => haystack.includes(w))) continue;
      hits.push({ agency, service, offices });
    }
  }
  return hits;
}

/** Names for a stored referral, retired entries included (old referrals keep their names). */
export function catalogNames(catalog: Catalog, agencyId: string, serviceId: string, officeId?: string) {
  const agency = catalog.agencies.find((a) => a.id === agencyId);
  const service = agency?.services.find((s) => s.id === serviceId);
  const office = officeId ? catalog.offices.find((o) => o.id === officeId) : undefined;
  return { agency, service, office };
}

/**
 * Why a referral to (agencyId, serviceId, officeId) cannot be made now, or null: the entry must
 * exist and not be retired. Used by rank matching's availability and by the referral form.
 */
export function referralTargetProblem(catalog: Catalog, agencyId: string, serviceId: string, officeId?: string): string | null {
  const { agency, service, office } = catalogNames(catalog, agencyId, serviceId, officeId);
  if (!agency || !service) return 'ไม่พบหน่วยงานหรือบริการในรายชื่อ / not in the partner-agency catalog';
  if (agency.retired || service.retired) return 'หน่วยงานหรือบริการนี้เลิกใช้แล้ว / this agency or service was retired';
  if (officeId && (!office || office.agencyId !== agencyId)) return 'ไม่พบสำนักงานของหน่วยงานนี้ / not an office of this agency';
  if (office?.retired) return 'สำนักงานนี้เลิกใช้แล้ว / this office was retired';
  return null;
}

/**
 * Whether a ranked choice can be met now for a person going home to `province`: the entry must be
 * offered (referralTargetProblem), and an agency that lists local offices must have one serving
 * the province. The availability answer of rank matching (rank-matching.ts).
 */
export function choiceAvailability(catalog: Catalog, province?: string) {
  return (choice: { agencyId: string; serviceId: string }): string | null => {
    const problem = referralTargetProblem(catalog, choice.agencyId, choice.serviceId);
    if (problem || !province) return problem;
    const offices = catalog.offices.filter((o) => o.agencyId === choice.agencyId && !o.retired);
    if (offices.length > 0 && !offices.some((o) => o.provinces.length === 0 || o.provinces.includes(province)))
      return 'ไม่มีสำนักงานในจังหวัดนี้ / no office of this agency serves the province';
    return null;
  };
}
