import { describe, expect, it } from 'vitest';
import { checkDoc } from '../validate-doc.ts';
import { AGENCIES } from '../agencies.ts';
import { care03Schema, care04Schema } from './care-visits.ts';
import { consentProblem, type ConsentSource } from './consent.ts';
import { isReferralOverdue, referralEventsProblem, referralRewriteProblem, referralSchema } from './referral.ts';
import { matchByRank } from './rank-matching.ts';
import { attachmentProblem, MAX_ATTACHMENT_BYTES } from './request-attachment.ts';
import { attachment, care03, care04, consentRecord, referral, serviceDocId, SERVICE_PERSON } from './test-fixtures.ts';

const UNIT = 'bkk-prison';

describe('CARE 03 / CARE 04 records', () => {
  it('"ศูนย์ CARE ผู้ต้องขัง/ผู้พ้นโทษ": a visit with date, officer, services and result is valid and syncs', () => {
    expect(checkDoc(care03(UNIT), UNIT)).toMatchObject({ ok: true });
  });

  it('a CARE 03 needs at least one service from the official list', () => {
    const r = care03Schema.safeParse(care03(UNIT, { services: [] }));
    expect(r.error?.issues[0].message).toMatch(/at least one service/);
    expect(care03Schema.safeParse({ ...care03(UNIT), services: ['massage'] }).success).toBe(false);
  });

  it('"อื่น ๆ" needs to say which service', () => {
    expect(care03Schema.safeParse(care03(UNIT, { services: ['other'] })).error?.issues[0].path).toEqual(['serviceOther']);
    expect(care03Schema.safeParse(care03(UNIT, { services: ['other'], serviceOther: 'ตัดผม' })).success).toBe(true);
  });

  it('a visit cannot be dated after the moment it was recorded', () => {
    expect(care03Schema.safeParse(care03(UNIT, { visitDate: '2026-12-02' })).error?.issues[0].path).toEqual(['visitDate']);
  });

  it('"ศูนย์ CARE ญาติ": a relative linked to the prisoner with the relationship', () => {
    expect(checkDoc(care04(UNIT), UNIT)).toMatchObject({ ok: true });
    const noRelation = { ...care04(UNIT), relative: { firstName: 'ก', lastName: 'ข' } };
    expect(care04Schema.safeParse(noRelation).error?.issues[0].path).toEqual(['relative', 'relationship']);
    const other = care04(UNIT, { relative: { firstName: 'ก', lastName: 'ข', relationship: 'other' } });
    expect(care04Schema.safeParse(other).error?.issues[0].path).toEqual(['relative', 'relationshipOther']);
  });
});

describe('consent ("ยินยอมเปิดเผยข้อมูล")', () => {
  const care01 = (consent?: string): ConsentSource => ({
    type: 'care01',
    _id: 'care01:5a000000-0000-4000-8000-000000000009',
    personId: SERVICE_PERSON,
    consent,
    interviewDate: '2026-11-20'
  });
  const byCare01 = { basis: 'care01' as const, care01Id: 'care01:5a000000-0000-4000-8000-000000000009' };
  const record = (overrides = {}): ConsentSource => ({ ...consentRecord(UNIT), ...overrides });
  const byRecord = { basis: 'consent-record' as const, consentId: serviceDocId('consent', 1) };

  it('CARE 01 "ยินยอมเปิดเผยข้อมูล" allows referring', () => {
    expect(consentProblem('refer', SERVICE_PERSON, '2026-12-01', byCare01, care01('consents'))).toBeNull();
  });

  it('CARE 01 "ไม่ยินยอมเปิดเผยข้อมูล", or no answer, refuses it with the reason in Thai and English', () => {
    expect(consentProblem('refer', SERVICE_PERSON, '2026-12-01', byCare01, care01('declines'))).toMatch(
      /^ไม่มีความยินยอมของบุคคล.*consents to disclosure/
    );
    expect(consentProblem('refer', SERVICE_PERSON, '2026-12-01', byCare01, care01(undefined))).not.toBeNull();
  });

  it("a basis that names nothing found, or another person's consent, is refused", () => {
    expect(consentProblem('refer', SERVICE_PERSON, '2026-12-01', byCare01, undefined)).toMatch(/was not found/);
    expect(
      consentProblem('refer', 'person:5a000000-0000-4000-8000-000000000002', '2026-12-01', byCare01, care01('consents'))
    ).toMatch(/not another's/);
  });

  it('a signed consent record covers only what it lists, from the day it was given, until withdrawn', () => {
    expect(consentProblem('refer', SERVICE_PERSON, '2026-12-01', byRecord, record())).toBeNull();
    expect(consentProblem('handover', SERVICE_PERSON, '2026-12-01', byRecord, record())).toMatch(/not among/);
    expect(consentProblem('refer', SERVICE_PERSON, '2026-11-29', byRecord, record())).toMatch(/given before/);
    expect(consentProblem('refer', SERVICE_PERSON, '2026-12-01', byRecord, record({ withdrawnOn: '2026-12-01' }))).toMatch(
      /withdrew/
    );
  });

  it('the basis must point at the kind of document it says', () => {
    expect(
      consentProblem('refer', SERVICE_PERSON, '2026-12-01', byRecord, { ...care01('consents'), _id: byRecord.consentId })
    ).not.toBeNull();
  });
});

describe('referrals ("ประสานส่งต่อหน่วยงานเครือข่าย")', () => {
  const ev = (status: string, on: string) => ({ status, on, by: 'care.officer' }) as never;

  it('sent → accepted → service started → completed, with dates', () => {
    const r = referral(UNIT, {
      events: [ev('sent', '2026-12-01'), ev('accepted', '2026-12-03'), ev('started', '2026-12-10'), ev('completed', '2027-01-10')]
    });
    expect(referralSchema.safeParse(r).success).toBe(true);
  });

  it.each([
    [['accepted'], 0, /starts with "sent"/],
    [['sent', 'completed'], 1, /cannot go from sent to completed/],
    [['sent', 'accepted', 'started', 'refused'], 3, /cannot go from started to refused/],
    [['sent', 'refused', 'accepted'], 2, /cannot go from refused to accepted/]
  ])('refuses %j at event %i', (statuses, index, reason) => {
    const problem = referralEventsProblem(statuses.map((s) => ev(s, '2026-12-01')));
    expect(problem?.index).toBe(index);
    expect(problem?.reason).toMatch(reason);
  });

  it('a status cannot be dated before the one before it', () => {
    expect(referralEventsProblem([ev('sent', '2026-12-05'), ev('accepted', '2026-12-04')])?.reason).toMatch(/dated before/);
  });

  it('an open referral past its expected date is overdue; a closed one never is', () => {
    expect(isReferralOverdue(referral(UNIT), '2026-12-15')).toBe(false);
    expect(isReferralOverdue(referral(UNIT), '2026-12-16')).toBe(true);
    expect(
      isReferralOverdue(referral(UNIT, { events: [ev('sent', '2026-12-01'), ev('refused', '2026-12-02')] }), '2027-01-01')
    ).toBe(false);
  });

  it('stored statuses only grow; agency, service and person never change', () => {
    const stored = referral(UNIT);
    expect(
      referralRewriteProblem(stored, referral(UNIT, { events: [...stored.events, ev('accepted', '2026-12-02')] }))
    ).toBeNull();
    expect(referralRewriteProblem(stored, referral(UNIT, { events: [ev('sent', '2026-11-30')] }))).toMatch(/only added/);
    expect(referralRewriteProblem(stored, referral(UNIT, { agencyId: 'dsd' }))).toMatch(/agencyId cannot change/);
  });
});

describe('rank matching ("ให้ คจจ. จัดลำดับตามความต้องการ … โดยเรียงจากอันดับ 1 ก่อน")', () => {
  const a = { agencyId: 'doe', serviceId: 'job-placement' };
  const b = { agencyId: 'dsd', serviceId: 'vocational-training' };
  const c = { agencyId: 'dtam', serviceId: 'thai-massage' };

  it('the 1st choice first', () => {
    expect(matchByRank([a, b, c], () => null)).toEqual({ outcome: 'matched', choice: a, rank: 1 });
  });

  it('falls to the next rank when a choice cannot be met', () => {
    expect(matchByRank([a, b, c], (x) => (x === a ? 'เต็ม / full' : null))).toEqual({ outcome: 'matched', choice: b, rank: 2 });
  });

  it('"ไม่สามารถจับคู่ความต้องการได้ทั้ง 3 อันดับ ขอให้ AO ลงพื้นที่สอบถาม … อีกครั้งหนึ่ง": ask again, with each rank\'s reason', () => {
    expect(matchByRank([a, b], () => 'ไม่มีในพื้นที่ / not in the area')).toEqual({
      outcome: 'ask-again',
      reasons: [
        { rank: 1, reason: 'ไม่มีในพื้นที่ / not in the area' },
        { rank: 2, reason: 'ไม่มีในพื้นที่ / not in the area' }
      ]
    });
    expect(matchByRank([], () => null)).toEqual({ outcome: 'ask-again', reasons: [] });
  });

  it('at most three choices, none twice', () => {
    expect(() => matchByRank([a, b, c, { agencyId: 'dmh', serviceId: 'psychiatric-care' }], () => null)).toThrow(/at most 3/);
    expect(() => matchByRank([a, a], () => null)).toThrow(/twice/);
  });
});

describe('request attachments (size-limited scans and photos)', () => {
  it('a PNG, JPEG or PDF under the limit is accepted', () => {
    expect(checkDoc(attachment('lampang-probation'), 'lampang-probation')).toMatchObject({ ok: true });
    expect(attachmentProblem('application/pdf', `data:application/pdf;base64,${btoa('%PDF-1.4 test')}`)).toBeNull();
  });

  it('refuses another type, data that does not match its type, and a file over the limit', () => {
    expect(attachmentProblem('application/x-msdownload', 'data:application/x-msdownload;base64,TVqQAAMAAAAEAAAA')).toMatch(
      /not accepted/
    );
    // An executable's "MZ" header renamed to .png: the type is allowed, the content is not a PNG.
    expect(attachmentProblem('image/png', 'data:image/png;base64,TVqQAAMAAAAEAAAA')).toMatch(/not of its declared type/);
    expect(attachmentProblem('image/png', 'data:image/png;base64,iVBORw0KGgo*')).toMatch(/not base64/);
    const big = `data:image/png;base64,iVBORw0KGgo${'A'.repeat(Math.ceil((MAX_ATTACHMENT_BYTES + 10) / 3) * 4 - 11)}`;
    expect(attachmentProblem('image/png', big)).toMatch(/larger than 512 KB/);
  });
});

describe('partner-agency catalog ("หน่วยงานเครือข่าย")', () => {
  it('every agency has at least one service, ids unique within the agency', () => {
    for (const agency of AGENCIES) {
      expect(agency.services.length).toBeGreaterThan(0);
      expect(new Set(agency.services.map((s) => s.id)).size).toBe(agency.services.length);
    }
  });

  it('"ค่าพาหนะเดินทางกลับภูมิลำเนา" is offered by social development, community justice and probation', () => {
    const fare = AGENCIES.filter((a) => a.services.some((s) => s.needs.includes('fare-home'))).map((a) => a.id);
    expect(fare).toEqual(['dsdw', 'moj-community', 'probation']);
  });
});
