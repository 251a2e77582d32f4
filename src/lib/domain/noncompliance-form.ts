/**
 * What the non-compliance screen edits, as plain strings and booleans that bind to inputs and
 * survive JSON (the draft stores this shape), and the conversions to the synced document.
 *
 * The event (kind, day, episode, held on another case) is written once; afterwards only actions are
 * added. An action once recorded is a record of what the officer did (docs/domain/non-compliance.md: "recorded in
 * the system"), so a save that would change or drop an earlier one is refused.
 */
import type { NonComplianceDoc } from './followup-schemas.ts';
import type { NonComplianceAction, NonComplianceKind } from './options.ts';

type Meta =
  '_id' | '_rev' | '_revisions' | 'type' | 'unitId' | 'schemaVersion' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy';
export type NonComplianceFields = Omit<NonComplianceDoc, Meta>;
export type NonComplianceActionRecord = NonComplianceDoc['actions'][number];
type Problem = { th: string; en: string };

/** The schema's cap on actions per event. */
export const MAX_NON_COMPLIANCE_ACTIONS = 20;

export interface NonComplianceEventForm {
  kind: NonComplianceKind | '';
  occurredOn: string;
  /** Conditions not acknowledged: the day the person was due to come ('' = not recorded). */
  acknowledgeBy: string;
  /** '' = not linked to an episode. */
  episodeId: string;
  heldOnAnotherCase: boolean;
}

export interface NonComplianceActionForm {
  kind: NonComplianceAction | '';
  on: string;
  note: string;
}

/** The whole screen's draft: the event (before its first save) and the action being added. */
export interface NonComplianceForm {
  event: NonComplianceEventForm;
  action: NonComplianceActionForm;
}

export function emptyNonComplianceForm(today: string, episodeId = ''): NonComplianceForm {
  return {
    event: { kind: '', occurredOn: '', acknowledgeBy: '', episodeId, heldOnAnotherCase: false },
    action: emptyActionForm(today)
  };
}

export function emptyActionForm(today: string): NonComplianceActionForm {
  return { kind: '', on: today, note: '' };
}

export function eventFormFromDoc(d: NonComplianceFields): NonComplianceEventForm {
  return {
    kind: d.kind,
    occurredOn: d.occurredOn,
    acknowledgeBy: d.acknowledgeBy ?? '',
    episodeId: d.episodeId ?? '',
    heldOnAnotherCase: d.heldOnAnotherCase ?? false
  };
}

export function eventFormProblems(f: NonComplianceEventForm, today: string): Problem[] {
  const p: Problem[] = [];
  if (!f.kind) p.push({ th: 'เลือกลักษณะการไม่ปฏิบัติตามเงื่อนไข', en: 'Pick what the non-compliance was' });
  if (!f.occurredOn) p.push({ th: 'ระบุวันที่', en: 'Give the date' });
  else if (f.occurredOn > today) p.push({ th: 'วันที่ต้องไม่เกินวันนี้', en: 'The date cannot be after today' });
  if (f.kind === 'conditions-not-acknowledged' && f.acknowledgeBy && f.occurredOn && f.acknowledgeBy < f.occurredOn)
    p.push({
      th: 'วันที่ต้องมารับทราบเงื่อนไขต้องไม่ก่อนวันรับคดี',
      en: 'The day to acknowledge the conditions cannot be before the case was received'
    });
  return p;
}

export function actionFormProblems(f: NonComplianceActionForm, occurredOn: string, today: string): Problem[] {
  const p: Problem[] = [];
  if (!f.kind) p.push({ th: 'เลือกการดำเนินการ', en: 'Pick the action taken' });
  if (!f.on) p.push({ th: 'ระบุวันที่ดำเนินการ', en: 'Give the date of the action' });
  else if (f.on > today) p.push({ th: 'วันที่ดำเนินการต้องไม่เกินวันนี้', en: 'The action date cannot be after today' });
  // An action for this non-compliance cannot precede it (the rules would not count it either).
  else if (occurredOn && f.on < occurredOn)
    p.push({ th: 'วันที่ดำเนินการต้องไม่ก่อนวันที่ไม่ปฏิบัติตามเงื่อนไข', en: 'The action cannot be before the non-compliance' });
  return p;
}

/** A new event's fields: no actions yet; the held-on-another-case flag only when ticked. */
export function eventFieldsFromForm(f: NonComplianceEventForm, personId: string): NonComplianceFields {
  return {
    personId,
    ...(f.episodeId ? { episodeId: f.episodeId } : {}),
    kind: f.kind as NonComplianceKind,
    occurredOn: f.occurredOn,
    ...(f.kind === 'conditions-not-acknowledged' && f.acknowledgeBy ? { acknowledgeBy: f.acknowledgeBy } : {}),
    ...(f.heldOnAnotherCase ? { heldOnAnotherCase: true } : {}),
    actions: []
  };
}

export function actionFromForm(f: NonComplianceActionForm): NonComplianceActionRecord {
  const note = f.note.trim();
  return { kind: f.kind as NonComplianceAction, on: f.on, ...(note ? { note } : {}) };
}

/** The stored event with one more action at the end; everything else as stored. */
export function withAction(doc: NonComplianceFields, action: NonComplianceActionRecord): NonComplianceFields {
  return { ...doc, actions: [...doc.actions, action] };
}

/**
 * Why `next` may not replace `existing`, or null: the event itself is fixed once saved and
 * recorded actions are kept as they are, in order (new ones only at the end).
 */
export function nonComplianceChangeProblem(existing: NonComplianceFields, next: NonComplianceFields): Problem | null {
  const fixed = (d: NonComplianceFields) =>
    JSON.stringify([
      d.personId,
      d.episodeId ?? null,
      d.kind,
      d.occurredOn,
      d.acknowledgeBy ?? null,
      d.heldOnAnotherCase ?? false
    ]);
  if (fixed(existing) !== fixed(next))
    return {
      th: 'บันทึกการไม่ปฏิบัติตามเงื่อนไขแล้วแก้ไขไม่ได้ เพิ่มได้เฉพาะการดำเนินการ',
      en: 'A saved non-compliance cannot be changed; only actions can be added'
    };
  const kept = existing.actions.every((a, i) => JSON.stringify(a) === JSON.stringify(next.actions[i]));
  if (!kept) return { th: 'การดำเนินการที่บันทึกแล้วแก้ไขหรือลบไม่ได้', en: 'Recorded actions cannot be changed or removed' };
  return null;
}
