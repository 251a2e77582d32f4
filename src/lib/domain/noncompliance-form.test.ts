import { describe, expect, it } from 'vitest';
import { nonComplianceSchema } from './followup-schemas.ts';
import {
  actionFormProblems,
  actionFromForm,
  emptyNonComplianceForm,
  eventFieldsFromForm,
  eventFormFromDoc,
  eventFormProblems,
  nonComplianceChangeProblem,
  withAction,
  type NonComplianceFields
} from './noncompliance-form.ts';
import { SCHEMA_VERSION } from './schemas.ts';

const PERSON = 'person:0b5f3c1e-9c1a-4d7e-8f00-1a2b3c4d5e6f';
const EPISODE = 'episode:1c2d3e4f-9c1a-4d7e-8f00-1a2b3c4d5e6f';
const TODAY = '2026-11-25';
const meta = {
  _id: 'noncompliance:2d3e4f5a-9c1a-4d7e-8f00-1a2b3c4d5e6f',
  type: 'noncompliance',
  unitId: 'beta-probation',
  schemaVersion: SCHEMA_VERSION,
  createdAt: '2026-11-25T03:00:00.000Z',
  createdBy: 'officer.b',
  updatedAt: '2026-11-25T03:00:00.000Z',
  updatedBy: 'officer.b'
} as const;

describe('non-compliance form ↔ document', () => {
  it('a new event starts empty, linked to the given episode, with the action dated today', () => {
    expect(emptyNonComplianceForm(TODAY, EPISODE)).toEqual({
      event: { kind: '', occurredOn: '', acknowledgeBy: '', episodeId: EPISODE, heldOnAnotherCase: false },
      action: { kind: '', on: TODAY, note: '' }
    });
  });

  it('maps a filled event to a valid document with no actions, and back', () => {
    const event = {
      kind: 'missed-appointment',
      occurredOn: '2026-11-20',
      acknowledgeBy: '',
      episodeId: EPISODE,
      heldOnAnotherCase: true
    } as const;
    const fields = eventFieldsFromForm(event, PERSON);
    expect(fields).toEqual({
      personId: PERSON,
      episodeId: EPISODE,
      kind: 'missed-appointment',
      occurredOn: '2026-11-20',
      heldOnAnotherCase: true,
      actions: []
    });
    expect(nonComplianceSchema.safeParse({ ...meta, ...fields }).success).toBe(true);
    expect(eventFormFromDoc(fields)).toEqual(event);
  });

  it('keeps the day the person was due to acknowledge ("นับแต่วันที่ผู้ถูกคุมความประพฤติไม่ปฏิบัติตามเงื่อนไข") only for conditions not acknowledged', () => {
    const form = {
      kind: 'conditions-not-acknowledged',
      occurredOn: '2026-11-02',
      acknowledgeBy: '2026-11-09',
      episodeId: '',
      heldOnAnotherCase: false
    } as const;
    const fields = eventFieldsFromForm(form, PERSON);
    expect(fields.acknowledgeBy).toBe('2026-11-09');
    expect(nonComplianceSchema.safeParse({ ...meta, ...fields }).success).toBe(true);
    expect(eventFieldsFromForm({ ...form, kind: 'missed-appointment' }, PERSON).acknowledgeBy).toBeUndefined();
    const wrong = nonComplianceSchema.safeParse({ ...meta, ...fields, kind: 'missed-appointment' });
    expect(wrong.success).toBe(false);
    expect(eventFormProblems({ ...form, acknowledgeBy: '2026-11-01' }, TODAY).map((p) => p.en)).toContain(
      'The day to acknowledge the conditions cannot be before the case was received'
    );
  });

  it('leaves out an unlinked episode and an unticked held-on-another-case', () => {
    const fields = eventFieldsFromForm(
      {
        kind: 'conditions-not-acknowledged',
        occurredOn: '2026-11-02',
        acknowledgeBy: '',
        episodeId: '',
        heldOnAnotherCase: false
      },
      PERSON
    );
    expect(fields).toEqual({ personId: PERSON, kind: 'conditions-not-acknowledged', occurredOn: '2026-11-02', actions: [] });
    expect(nonComplianceSchema.safeParse({ ...meta, ...fields }).success).toBe(true);
  });

  it('an action keeps a trimmed note, or none', () => {
    expect(actionFromForm({ kind: 'warning', on: TODAY, note: '  โทรแจ้งมารดา ' })).toEqual({
      kind: 'warning',
      on: TODAY,
      note: 'โทรแจ้งมารดา'
    });
    expect(actionFromForm({ kind: 'tracking', on: TODAY, note: '   ' })).toEqual({ kind: 'tracking', on: TODAY });
  });
});

describe('what must be filled before saving', () => {
  const en = (p: { en: string }[]) => p.map((x) => x.en);

  it('the event: kind and a date not after today', () => {
    expect(en(eventFormProblems(emptyNonComplianceForm(TODAY).event, TODAY))).toEqual([
      'Pick what the non-compliance was',
      'Give the date'
    ]);
    const event = {
      kind: 'missed-appointment',
      occurredOn: TODAY,
      acknowledgeBy: '',
      episodeId: '',
      heldOnAnotherCase: false
    } as const;
    expect(eventFormProblems(event, TODAY)).toEqual([]);
    expect(en(eventFormProblems({ ...event, occurredOn: '2026-11-26' }, TODAY))).toEqual(['The date cannot be after today']);
  });

  it.each([
    ['a complete action today', { kind: 'warning', on: TODAY, note: '' }, []],
    ['on the day of the non-compliance', { kind: 'record-check', on: '2026-11-20', note: '' }, []],
    ['no kind', { kind: '', on: TODAY, note: '' }, ['Pick the action taken']],
    ['no date', { kind: 'warning', on: '', note: '' }, ['Give the date of the action']],
    ['tomorrow', { kind: 'warning', on: '2026-11-26', note: '' }, ['The action date cannot be after today']],
    [
      'before the non-compliance',
      { kind: 'warning', on: '2026-11-19', note: '' },
      ['The action cannot be before the non-compliance']
    ]
  ] as const)('an action: %s', (_what, action, expected) => {
    expect(en(actionFormProblems(action, '2026-11-20', TODAY))).toEqual(expected);
  });
});

describe('append-only', () => {
  const saved: NonComplianceFields = {
    personId: PERSON,
    episodeId: EPISODE,
    kind: 'missed-appointment',
    occurredOn: '2026-11-20',
    actions: [{ kind: 'record-check', on: '2026-11-21' }]
  };

  it('adds an action at the end and keeps the rest', () => {
    const next = withAction(saved, { kind: 'warning', on: TODAY, note: 'จดหมาย' });
    expect(next.actions).toEqual([
      { kind: 'record-check', on: '2026-11-21' },
      { kind: 'warning', on: TODAY, note: 'จดหมาย' }
    ]);
    expect(saved.actions).toHaveLength(1); // the stored document is not mutated
    expect(nonComplianceChangeProblem(saved, next)).toBeNull();
  });

  it.each([
    [
      'an earlier action changed',
      { ...saved, actions: [{ kind: 'record-check', on: '2026-11-22' }] },
      'Recorded actions cannot be changed or removed'
    ],
    ['an earlier action removed', { ...saved, actions: [] }, 'Recorded actions cannot be changed or removed'],
    [
      'an action slipped in before it',
      { ...saved, actions: [{ kind: 'warning', on: '2026-11-20' }, ...saved.actions] },
      'Recorded actions cannot be changed or removed'
    ],
    [
      'the kind changed',
      { ...saved, kind: 'conditions-not-acknowledged' },
      'A saved non-compliance cannot be changed; only actions can be added'
    ],
    [
      'the date changed',
      { ...saved, occurredOn: '2026-11-19' },
      'A saved non-compliance cannot be changed; only actions can be added'
    ],
    [
      'held on another case ticked later',
      { ...saved, heldOnAnotherCase: true },
      'A saved non-compliance cannot be changed; only actions can be added'
    ]
  ] as const)('refuses a save with %s', (_what, next, reason) => {
    expect(nonComplianceChangeProblem(saved, next as NonComplianceFields)?.en).toBe(reason);
  });
});
