/**
 * Demo data for the supervisor's review queue, CARE 02 and the CARE 03 / 04 workbooks of the demo
 * prison CARE centre: about two visits per person over the last two and a half months; a few
 * interviews already reviewed, one sent back and not yet corrected (the officer's tablet shows the
 * comment), one sent back and corrected (it waits again, with the send-back beside it); and last
 * month's CARE 02 submitted by the officer, then re-submitted by the supervisor after a visit
 * recorded late. Dates are relative to the day the demo is seeded; nothing is real.
 */
import { care02Changes, care02Deadline, care02Numbers, type Care02Sources } from '../src/lib/domain/care02.ts';
import { uuid } from '../src/lib/domain/ids.ts';
import type { ReviewDoc } from '../src/lib/domain/review.ts';
import { SCHEMA_VERSION, type Care01Doc } from '../src/lib/domain/schemas.ts';
import type { Care03Doc, Care04Doc } from '../src/lib/domain/services/care-visits.ts';
import { generateCareVisits } from './reports/generate-visits.ts';
import { submissionId, type StoredSubmission } from './review/care02.ts';
import { isConflict, type DocumentStore, type StoredDoc } from './storage/port.ts';

const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const previousMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

/** The centre's visits (pure: same people, seed and day, same documents). */
export function demoVisits(unitId: string, personIds: readonly string[], officer: string, today: string, seed: number) {
  const visits = generateCareVisits({
    unitId,
    personIds,
    perPerson: 2,
    from: addDays(`${today.slice(0, 7)}-01`, -62),
    to: today,
    seed,
    officer
  });
  // Nothing in the future; every visit is recorded the day it happened but one: the last visit of
  // last month is recorded on the 1st at 12:00 Thai time, after last month's CARE 02 went in.
  const kept = visits.filter((v) => v.visitDate < today);
  const late = kept.filter((v) => v.visitDate.slice(0, 7) === previousMonth(today.slice(0, 7))).at(-1);
  const recorded = `${today.slice(0, 7)}-01T05:00:00.000Z`;
  if (late && recorded.slice(0, 10) < today)
    Object.assign(late, { recordedAt: recorded, createdAt: recorded, updatedAt: recorded });
  return kept;
}

/**
 * After the centre's documents are stored (`docs`): the review decisions and last month's CARE 02
 * submissions. Answers how many new documents the unit's database holds (the review decisions).
 */
export async function seedDemoReview(
  unitDb: DocumentStore,
  system: DocumentStore,
  o: { unitId: string; officer: string; supervisor: string; now: Date; docs: ReadonlyArray<{ _id: string; type?: string }> }
): Promise<number> {
  const { unitId, officer, supervisor, now } = o;
  const nowIso = now.toISOString();
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3600_000).toISOString();
  const interviews = o.docs.filter((d): d is Care01Doc => d.type === 'care01');
  const visits = o.docs.filter((d): d is Care03Doc | Care04Doc => d.type === 'care03' || d.type === 'care04');
  const current = async (id: string) => (await unitDb.get(id)) as unknown as StoredDoc & { _rev: string };
  const review = async (target: { _id: string; personId?: string }, state: ReviewDoc['state'], comment: string, when: string) => {
    const doc: ReviewDoc = {
      _id: `review:${uuid()}`,
      type: 'review',
      unitId,
      schemaVersion: SCHEMA_VERSION,
      targetId: target._id,
      targetRev: (await current(target._id))._rev,
      ...(target.personId && { personId: target.personId }),
      state,
      comment,
      reviewedBy: supervisor,
      at: when
    };
    await unitDb.put(doc as unknown as StoredDoc);
  };
  let written = 0;
  // Reviewed: the first few interviews leave the queue.
  for (const c of interviews.slice(0, 5)) {
    await review(c, 'reviewed', '', at(30));
    written++;
  }
  // Sent back, not yet corrected: the officer sees the comment on the person page.
  if (interviews[5]) {
    await review(interviews[5], 'returned', 'ที่อยู่ตามทะเบียนบ้านไม่ครบ โปรดตรวจสอบและแก้ไข', at(20));
    written++;
  }
  // Sent back, then corrected by the officer: it waits again, with the send-back beside it.
  const corrected = visits.find((v) => v.type === 'care03');
  if (corrected) {
    await review(corrected, 'returned', 'ผลการให้บริการไม่ชัดเจน โปรดระบุตำแหน่งงานที่แนะนำ', at(20));
    const stored = await current(corrected._id);
    await unitDb.put({
      ...stored,
      result: `${corrected.result} — แนะนำตำแหน่งพนักงานคลังสินค้า 2 ตำแหน่ง`,
      updatedAt: at(4),
      updatedBy: officer
    } as StoredDoc);
    written++;
  }

  // Last month's CARE 02: submitted on time; one visit recorded late; re-submitted with the reason.
  const month = previousMonth(nowIso.slice(0, 7));
  const late = visits.filter((v) => v.visitDate.slice(0, 7) === month).at(-1);
  const sources = (without?: string): Care02Sources => ({
    care01: interviews,
    care03: visits.filter((v): v is Care03Doc => v.type === 'care03' && v._id !== without),
    care04: visits.filter((v): v is Care04Doc => v.type === 'care04' && v._id !== without)
  });
  const first = care02Numbers(month, sources(late?._id));
  const second = care02Numbers(month, sources());
  const deadline = care02Deadline(month);
  // On the 1st of this month at 09:00 and 15:00 Thai time (before 16:30), never after now.
  const onFirst = (utcHour: number) => {
    const t = new Date(`${nowIso.slice(0, 7)}-01T${String(utcHour).padStart(2, '0')}:00:00.000Z`);
    return (t < now ? t : new Date(now.getTime() - (10 - utcHour) * 60_000)).toISOString();
  };
  const submissions: StoredSubmission[] = [
    {
      _id: submissionId(unitId, month, 1),
      type: 'care02-submission',
      unitId,
      month,
      version: 1,
      numbers: first,
      submittedBy: officer,
      at: onFirst(2),
      late: onFirst(2) > deadline
    },
    {
      _id: submissionId(unitId, month, 2),
      type: 'care02-submission',
      unitId,
      month,
      version: 2,
      numbers: second,
      submittedBy: supervisor,
      at: onFirst(8),
      late: onFirst(8) > deadline,
      why: 'บันทึก CARE 03 ที่บันทึกล่าช้า 1 รายการ',
      changes: care02Changes(first, second)
    }
  ];
  for (const s of submissions) {
    try {
      await system.put(s as unknown as StoredDoc);
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }
  return written;
}
