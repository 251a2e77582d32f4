/**
 * Who may read a prison CARE centre's monthly reports (CARE 02, the CARE 03 / 04 workbooks) in a
 * request naming `:unit` and `:month`: the centre's officers (write access to the unit) and
 * supervisors of the unit — never volunteers, never another unit. Answers the refusal itself.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { monthSchema } from '../../src/lib/domain/care02.ts';
import { authenticateRequest, sendAuthFailure } from '../auth/authenticate.ts';
import type { ServerContext } from '../context.ts';
import { sendApiError } from '../errors.ts';
import { accessToUnit } from '../scope.ts';
import { findUnits, type UserDoc } from '../users.ts';

const NOT_ALLOWED = 'บัญชีนี้ส่ง CARE 02 ไม่ได้ / This account cannot read or submit CARE 02.';
const OUT_OF_SCOPE = 'ไม่มีสิทธิ์ดูหน่วยงานนี้ / This unit is not in your scope.';
const NOT_A_CENTRE = 'CARE 02 เป็นรายงานของศูนย์ CARE ในเรือนจำ / CARE 02 is a report of a prison CARE centre.';

export interface CentreReader {
  user: UserDoc;
  unitId: string;
  month: string;
  name: { th: string; en: string };
}

/** The account, if it may read the centre's reports of the unit in the URL; null with the answer sent. */
export async function centreReader(
  ctx: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply
): Promise<CentreReader | null> {
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
