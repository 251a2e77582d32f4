/**
 * CARE 02 on the server: a prison CARE centre's monthly statistics derived from its CARE 01/03/04
 * records (src/lib/domain/care02.ts), and their submission. A submission is stored in the system
 * database with the numbers, who and when; once a month is submitted it is locked, and a
 * correction is a new, numbered submission that must say why and records what changed. Reads and
 * submissions are audited (counts only, no personal data).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import {
  CARE02_GROUP_LABELS,
  care02Boxes,
  care02Changes,
  care02Deadline,
  care02Numbers,
  monthSchema,
  type Care02Numbers,
  type Care02Sources,
  type Care02Submission
} from '../../src/lib/domain/care02.ts';
import { SERVICE_KINDS } from '../../src/lib/domain/services/care-visits.ts';
import { recordEvent } from '../audit-events.ts';
import { CONTENT_TYPES, EXPORT_FORMATS, writeTable, type ExportColumn } from '../reports/export.ts';
import { authenticateRequest, sendAuthFailure } from '../auth/authenticate.ts';
import type { ServerContext } from '../context.ts';
import { sendApiError } from '../errors.ts';
import { accessToUnit } from '../scope.ts';
import { isConflict, type DocumentStore, type StoredDoc } from '../storage/port.ts';
import { unitDatabaseName } from '../system-db.ts';
import { findUnits, type UserDoc } from '../users.ts';

export const MAX_WHY = 500;
/** More corrections of one month than this is not a correction any more: ask an administrator. */
const MAX_SUBMISSIONS = 99;

const NOT_ALLOWED = 'บัญชีนี้ส่ง CARE 02 ไม่ได้ / This account cannot read or submit CARE 02.';
const OUT_OF_SCOPE = 'ไม่มีสิทธิ์ดูหน่วยงานนี้ / This unit is not in your scope.';
const NOT_A_CENTRE = 'CARE 02 เป็นรายงานของศูนย์ CARE ในเรือนจำ / CARE 02 is a report of a prison CARE centre.';
const LOCKED = 'why: เดือนนี้ส่งแล้ว การแก้ไขต้องระบุเหตุผล / why: this month is submitted; a correction must say why.';
const MOVED = 'basis: ตัวเลขเปลี่ยนหลังจากเปิดหน้า โปรดตรวจใหม่ / basis: the numbers changed since you opened them: check them again.';

const submitBody = z.strictObject({
  basis: z.string({ message: 'basis: ต้องระบุ / basis: required' }).regex(/^[0-9a-f]{64}$/, 'basis: ไม่ถูกต้อง / basis: not valid'),
  why: z.string().trim().max(MAX_WHY, `why: ยาวเกิน ${MAX_WHY} ตัวอักษร / why: longer than ${MAX_WHY} characters`).optional()
});

interface StoredSubmission extends Care02Submission {
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

const submissionId = (unitId: string, month: string, version: number) =>
  `care02:${unitId}:${month}:${String(version).padStart(3, '0')}`;

async function submissions(system: DocumentStore, unitId: string, month: string): Promise<StoredSubmission[]> {
  const prefix = `care02:${unitId}:${month}:`;
  const { rows } = await system.allDocs({ startkey: prefix, endkey: `${prefix}\ufff0`, include_docs: true });
  return rows.flatMap((r) => (r.doc && r.doc.type === 'care02-submission' ? [r.doc as unknown as StoredSubmission] : []));
}

/** The month's records of the unit, read by id prefix (the month's filter is the domain's). */
async function sourcesOf(db: DocumentStore): Promise<Care02Sources> {
  const of = async (type: string) =>
    (await db.allDocs({ startkey: `${type}:`, endkey: `${type}:\ufff0`, include_docs: true })).rows.flatMap((r) =>
      r.doc && r.doc.type === type ? [r.doc] : []
    );
  return {
    care01: (await of('care01')) as unknown as Care02Sources['care01'],
    care03: (await of('care03')) as unknown as Care02Sources['care03'],
    care04: (await of('care04')) as unknown as Care02Sources['care04']
  };
}

/** The fingerprint of a set of numbers: a submission names the numbers the person saw. */
export const basisOf = (n: Care02Numbers) =>
  createHash('sha256')
    .update(JSON.stringify(care02Boxes(n)))
    .digest('hex');

export async function care02Routes(app: FastifyInstance, { ctx }: { ctx: ServerContext }) {
  /** The account, if it may read and submit CARE 02 of the unit in the URL; null with the answer sent. */
  async function allowed(
    request: FastifyRequest,
    reply: FastifyReply
  ): Promise<{ user: UserDoc; unitId: string; month: string; name: { th: string; en: string } } | null> {
    const auth = await authenticateRequest(ctx, request);
    if (!auth.ok) {
      sendAuthFailure(reply, auth, 'api');
      return null;
    }
    // The centre's officers submit; supervisors of the unit read and may correct. Not volunteers.
    if (auth.user.role !== 'officer' && auth.user.role !== 'supervisor') {
      sendApiError(reply, 403, 'forbidden', NOT_ALLOWED);
      return null;
    }
    const { unit, month } = request.params as { unit: string; month: string };
    const access = await accessToUnit(ctx, auth.user, unit);
    if (access === 'none' || (auth.user.role === 'officer' && access !== 'write')) {
      sendApiError(reply, 403, 'forbidden', OUT_OF_SCOPE);
      return null;
    }
    const parsedMonth = monthSchema.safeParse(month);
    if (!parsedMonth.success) {
      sendApiError(reply, 400, 'bad_request', parsedMonth.error.issues[0].message);
      return null;
    }
    const [doc] = await findUnits(ctx.system, [unit]);
    if (!doc || doc.kind !== 'prison-care') {
      sendApiError(reply, 404, 'not_found', NOT_A_CENTRE);
      return null;
    }
    return { user: auth.user, unitId: unit, month, name: doc.name };
  }

  const derive = async (unitId: string, month: string) =>
    care02Numbers(month, await sourcesOf(ctx.storage.openDatabase(unitDatabaseName(unitId))));

  app.get('/api/care02/:unit/:month', async (request, reply) => {
    const who = await allowed(request, reply);
    if (!who) return reply;
    const derived = await derive(who.unitId, who.month);
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
    const numbers = latest?.numbers ?? (await derive(who.unitId, who.month));
    await recordEvent(ctx.audit, {
      action: 'export',
      actor: who.user.username,
      unitId: who.unitId,
      target: `care02:${who.month}:${q.data.format}`,
      count: numbers.people.total,
      ip: request.ip
    });
    const out = new PassThrough();
    reply.header('Content-Type', CONTENT_TYPES[q.data.format]);
    reply.header('Content-Disposition', `attachment; filename="care02-${who.unitId}-${who.month}.${q.data.format}"`);
    reply.header('Cache-Control', 'no-store');
    writeTable(q.data.format, { sheetName: 'CARE 02', columns: FORM_COLUMNS, rows: formRows(numbers) }, out).catch((e) =>
      out.destroy(e as Error)
    );
    return reply.send(out);
  });

  app.post('/api/care02/:unit/:month', async (request, reply) => {
    const who = await allowed(request, reply);
    if (!who) return reply;
    const body = submitBody.safeParse(request.body ?? {});
    if (!body.success) return sendApiError(reply, 400, 'bad_request', body.error.issues.map((i) => i.message).join('; '));
    const derived = await derive(who.unitId, who.month);
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
