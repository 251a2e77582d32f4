/**
 * CARE 02 on the server: a prison CARE centre's monthly statistics derived from its CARE 01/03/04
 * records (src/lib/domain/care02.ts) as the unit's reporting projection holds them (answers say
 * as of when, and stale when the catch-up did not finish), and their submission. A submission is
 * stored in the system database with the numbers, who and when; once a month is submitted it is
 * locked, and a correction is a new, numbered submission that must say why and records what
 * changed. The same routes serve the month's CARE 03 / 04 workbooks (export-care-visits.ts).
 * Reads, exports and submissions are audited (counts and ids only, no personal data).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  CARE02_GROUP_LABELS,
  care02Boxes,
  care02Changes,
  care02Deadline,
  care02Numbers,
  type Care02Numbers,
  type Care02Submission
} from '../../src/lib/domain/care02.ts';
import { BE_OFFSET } from '../../src/lib/domain/dates.ts';
import { SERVICE_KINDS } from '../../src/lib/domain/services/care-visits.ts';
import { recordEvent } from '../audit-events.ts';
import { EXPORT_FORMATS, sendTable, type ExportColumn } from '../reports/export.ts';
import { CARE_VISIT_TITLES, careVisitExportQuery, careVisitTable, exportSpan } from '../reports/export-care-visits.ts';
import { reportServiceOf } from '../reports/shared-service.ts';
import type { ServerContext } from '../context.ts';
import { sendApiError } from '../errors.ts';
import { isConflict, type DocumentStore, type StoredDoc } from '../storage/port.ts';
import { centreReader } from './centre-access.ts';

export const MAX_WHY = 500;
/** More corrections of one month than this is not a correction any more: ask an administrator. */
const MAX_SUBMISSIONS = 99;

const STILL_READING =
  'ยังอ่านระเบียนของศูนย์ไม่ครบ โปรดลองส่งอีกครั้ง / The centre’s records are still being read: submit again in a moment.';
const LOCKED = 'why: เดือนนี้ส่งแล้ว การแก้ไขต้องระบุเหตุผล / why: this month is submitted; a correction must say why.';
const MOVED = 'basis: ตัวเลขเปลี่ยนหลังจากเปิดหน้า โปรดตรวจใหม่ / basis: the numbers changed since you opened them: check them again.';

const submitBody = z.strictObject({
  basis: z.string({ message: 'basis: ต้องระบุ / basis: required' }).regex(/^[0-9a-f]{64}$/, 'basis: ไม่ถูกต้อง / basis: not valid'),
  why: z.string().trim().max(MAX_WHY, `why: ยาวเกิน ${MAX_WHY} ตัวอักษร / why: longer than ${MAX_WHY} characters`).optional()
});

export interface StoredSubmission extends Care02Submission {
  _id: string;
  _rev?: string;
  type: 'care02-submission';
}

const exportQuery = z.strictObject({
  format: z.enum(EXPORT_FORMATS, { message: 'format: xlsx หรือ csv / format: xlsx or csv' }).default('xlsx')
});

/** The form as rows (item × who was served), as the screen shows it. */
function formRows(n: Care02Numbers): Array<Record<string, string | number>> {
  const row = (th: string, en: string, r: { prisoner: number; released: number; relative: number; total: number }) => ({
    item: `${th} / ${en}`,
    ...r
  });
  return [
    row('สัมภาษณ์ก่อนปล่อยตัว (CARE 01)', 'Interviews before release (CARE 01)', {
      prisoner: n.interviews,
      released: 0,
      relative: 0,
      total: n.interviews
    }),
    row('จำนวนผู้มารับบริการ (คน)', 'People served', n.people),
    row('จำนวนครั้งที่มารับบริการ', 'Visits', n.visits),
    ...SERVICE_KINDS.list.map((k) => row(k.th, k.en, n.services[k.value]))
  ];
}

const FORM_COLUMNS: ExportColumn[] = [
  { key: 'item', th: 'หัวข้อรายงาน', en: 'Item', width: 50 },
  ...(['prisoner', 'released', 'relative', 'total'] as const).map((g) => ({ key: g, ...CARE02_GROUP_LABELS[g] }))
];

export const submissionId = (unitId: string, month: string, version: number) =>
  `care02:${unitId}:${month}:${String(version).padStart(3, '0')}`;

async function submissions(system: DocumentStore, unitId: string, month: string): Promise<StoredSubmission[]> {
  const prefix = `care02:${unitId}:${month}:`;
  const { rows } = await system.allDocs({ startkey: prefix, endkey: `${prefix}\ufff0`, include_docs: true });
  return rows.flatMap((r) => (r.doc && r.doc.type === 'care02-submission' ? [r.doc as unknown as StoredSubmission] : []));
}

/** `2026-11` → `11/2569` (Buddhist Era). */
const beMonth = (month: string) => `${Number(month.slice(5, 7))}/${Number(month.slice(0, 4)) + BE_OFFSET}`;

/** The fingerprint of a set of numbers: a submission names the numbers the person saw. */
export const basisOf = (n: Care02Numbers) =>
  createHash('sha256')
    .update(JSON.stringify(care02Boxes(n)))
    .digest('hex');

export async function care02Routes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  const service = reportServiceOf(app, ctx);
  const allowed = (request: FastifyRequest, reply: FastifyReply) => centreReader(ctx, request, reply);

  /** The month's numbers from the unit's projection, caught up within the bounded wait. */
  async function derive(unitId: string, month: string) {
    const stale = (await service.catchUp([unitId])).has(unitId);
    const projection = service.projection(unitId);
    return { numbers: care02Numbers(month, projection.review.care02Sources()), stale, projection: projection.state() };
  }

  app.get('/api/care02/:unit/:month', async (request, reply) => {
    const who = await allowed(request, reply);
    if (!who) return reply;
    const { numbers: derived, stale, projection } = await derive(who.unitId, who.month);
    const history = await submissions(ctx.system, who.unitId, who.month);
    await recordEvent(ctx.audit, {
      action: 'read-report',
      actor: who.user.username,
      unitId: who.unitId,
      target: `care02:${who.month}`,
      count: derived.people.total,
      ip: request.ip
    });
    return {
      unitId: who.unitId,
      name: who.name,
      month: who.month,
      deadline: care02Deadline(who.month),
      // As of when the centre's records were read; stale when the catch-up did not finish in time.
      projection,
      stale,
      derived,
      basis: basisOf(derived),
      submissions: history.map(({ _id, _rev, ...s }) => s),
      locked: history.length > 0
    };
  });

  // The month as a spreadsheet (the old system's Excel download): the last submission once locked.
  app.get('/api/care02/:unit/:month/export', async (request, reply) => {
    const who = await allowed(request, reply);
    if (!who) return reply;
    const q = exportQuery.safeParse(request.query ?? {});
    if (!q.success) return sendApiError(reply, 400, 'bad_request', q.error.issues[0].message);
    const latest = (await submissions(ctx.system, who.unitId, who.month)).at(-1);
    const numbers = latest?.numbers ?? (await derive(who.unitId, who.month)).numbers;
    await recordEvent(ctx.audit, {
      action: 'export',
      actor: who.user.username,
      unitId: who.unitId,
      target: `care02:${who.month}:${q.data.format}`,
      count: numbers.people.total,
      ip: request.ip
    });
    return sendTable(reply, q.data.format, `care02-${who.unitId}-${who.month}`, {
      sheetName: 'CARE 02',
      columns: FORM_COLUMNS,
      rows: formRows(numbers)
    });
  });

  // The CARE 03 / CARE 04 workbook of the month (or months up to `to`): one row per visit.
  app.get('/api/care-visits/:unit/:month/export', async (request, reply) => {
    const who = await allowed(request, reply);
    if (!who) return reply;
    const q = careVisitExportQuery.safeParse(request.query ?? {});
    if (!q.success) return sendApiError(reply, 400, 'bad_request', q.error.issues.map((i) => i.message).join('; '));
    const { report, format, to = who.month } = q.data;
    const span = exportSpan(who.month, to);
    if ('error' in span) return sendApiError(reply, 400, 'bad_request', span.error);
    const stale = (await service.catchUp([who.unitId])).has(who.unitId);
    const projection = service.projection(who.unitId);
    const visits = projection.review.visitsBetween(report, span.first, span.last);
    await recordEvent(ctx.audit, {
      action: 'export',
      actor: who.user.username,
      unitId: who.unitId,
      target: `${report}:${who.month}:${to}:${format}`,
      count: visits.length,
      ids: [...new Set(visits.map((v) => v.personId))],
      ip: request.ip
    });
    const months = to === who.month ? beMonth(who.month) : `${beMonth(who.month)} – ${beMonth(to)}`;
    const state = projection.state();
    // As of when the records were read, in the file's heading and the answer's headers.
    const asOf = stale && state.caughtUpAt ? ` (ข้อมูล ณ ${state.caughtUpAt})` : '';
    reply.header('X-Report-As-Of', state.caughtUpAt ?? '');
    reply.header('X-Report-Stale', String(stale));
    return sendTable(
      reply,
      format,
      `${report}-${who.unitId}-${who.month}${to === who.month ? '' : `-${to}`}`,
      careVisitTable(
        report,
        visits,
        (id) => projection.label(id),
        `${CARE_VISIT_TITLES[report].th} · ${who.name.th} · ประจำเดือน ${months}${asOf}`
      ),
      visits.length
    );
  });

  app.post('/api/care02/:unit/:month', async (request, reply) => {
    const who = await allowed(request, reply);
    if (!who) return reply;
    const body = submitBody.safeParse(request.body ?? {});
    if (!body.success) return sendApiError(reply, 400, 'bad_request', body.error.issues.map((i) => i.message).join('; '));
    const { numbers: derived, stale } = await derive(who.unitId, who.month);
    // Numbers not read to the end of the feed are not submitted: the records may say otherwise.
    if (stale) return sendApiError(reply, 503, 'unavailable', STILL_READING);
    if (basisOf(derived) !== body.data.basis) return sendApiError(reply, 409, 'conflict', MOVED);
    const history = await submissions(ctx.system, who.unitId, who.month);
    const previous = history.at(-1);
    if (previous && !body.data.why) return sendApiError(reply, 409, 'locked', LOCKED);
    if (history.length >= MAX_SUBMISSIONS) return sendApiError(reply, 409, 'locked', LOCKED);
    const now = new Date();
    const version = (previous?.version ?? 0) + 1;
    const submission: StoredSubmission = {
      _id: submissionId(who.unitId, who.month, version),
      type: 'care02-submission',
      unitId: who.unitId,
      month: who.month,
      version,
      numbers: derived,
      submittedBy: who.user.username,
      at: now.toISOString(),
      late: now.toISOString() > care02Deadline(who.month),
      ...(previous && { why: body.data.why, changes: care02Changes(previous.numbers, derived) })
    };
    try {
      await ctx.system.put(submission as unknown as StoredDoc);
    } catch (e) {
      // Two people submitting the same version at once: the second is told to look again.
      if (isConflict(e)) return sendApiError(reply, 409, 'locked', LOCKED);
      throw e;
    }
    await recordEvent(ctx.audit, {
      action: version === 1 ? 'care02-submit' : 'care02-resubmit',
      actor: who.user.username,
      unitId: who.unitId,
      target: submission._id,
      count: derived.people.total,
      ...(submission.why !== undefined && { why: 'correction' }),
      ip: request.ip
    });
    const { _id, ...stored } = submission;
    return reply.code(201).send({ id: _id, ...stored });
  });
}
