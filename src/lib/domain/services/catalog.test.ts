import { describe, expect, it } from 'vitest';
import {
  applyCatalogEdit,
  catalogEditSchema,
  catalogNames,
  choiceAvailability,
  initialCatalog,
  referralTargetProblem,
  searchCatalog,
  type Catalog,
  type CatalogEdit
} from './catalog.ts';
import { matchByRank } from './rank-matching.ts';

function edited(catalog: Catalog, ...edits: CatalogEdit[]): Catalog {
  return edits.reduce((c, e) => {
    const r = applyCatalogEdit(c, catalogEditSchema.parse(e));
    if (!r.ok) throw new Error(r.reason);
    return r.catalog;
  }, catalog);
}

const lampang = {
  id: 'doe-lampang',
  agencyId: 'doe',
  th: 'สำนักงานจัดหางานจังหวัดลำปาง',
  phone: '054265051',
  address: 'ศาลากลางจังหวัดลำปาง',
  provinces: ['52']
};
const lampangOffice: CatalogEdit = { op: 'add-office', office: lampang };

describe('partner-agency catalog ("ส่งต่อหน่วยงานเครือข่าย")', () => {
  it('ships the agencies of the source, searchable by need: "ค่าพาหนะเดินทางกลับภูมิลำเนา"', () => {
    const hits = searchCatalog(initialCatalog(), { need: 'fare-home' });
    expect(hits.map((h) => `${h.agency.id}/${h.service.id}`)).toEqual([
      'dsdw/fare-home',
      'moj-community/fare-home',
      'probation/fare-home'
    ]);
  });

  it('searches names in Thai and English', () => {
    expect(searchCatalog(initialCatalog(), { text: 'นวดไทย' }).map((h) => h.agency.id)).toEqual(['dtam']);
    expect(searchCatalog(initialCatalog(), { text: 'job placement' }).map((h) => h.service.id)).toEqual(['job-placement']);
  });

  it('an administrator adds "สำนักงานจัดหางานจังหวัด" with contact and area; search by area lists it', () => {
    const c = edited(initialCatalog(), lampangOffice);
    const inLampang = searchCatalog(c, { need: 'job-info', province: '52' }).find((h) => h.agency.id === 'doe')!;
    expect(inLampang.offices.map((o) => o.phone)).toEqual(['054265051']);
    // The Department of Employment has offices, none in Chiang Mai (50): left out there.
    expect(searchCatalog(c, { need: 'job-info', province: '50' }).some((h) => h.agency.id === 'doe')).toBe(false);
    // National agencies without listed offices stay in every area.
    expect(searchCatalog(c, { need: 'job-info', province: '50' }).some((h) => h.agency.id === 'dsd')).toBe(true);
  });

  it("retiring a service takes it off the search without breaking old referrals' names", () => {
    const c = edited(initialCatalog(), { op: 'retire', agencyId: 'doe', serviceId: 'home-worker-fund' });
    expect(searchCatalog(c, { need: 'capital' }).some((h) => h.service.id === 'home-worker-fund')).toBe(false);
    expect(catalogNames(c, 'doe', 'home-worker-fund').service?.th).toMatch(/กองทุนเงินกู้/);
    expect(referralTargetProblem(c, 'doe', 'home-worker-fund')).toMatch(/retired/);
    expect(referralTargetProblem(c, 'doe', 'job-placement')).toBeNull();
  });

  it('retiring an agency or an office; ids are never reused', () => {
    let c = edited(
      initialCatalog(),
      lampangOffice,
      { op: 'retire-office', officeId: 'doe-lampang' },
      { op: 'retire', agencyId: 'dms' }
    );
    expect(searchCatalog(c, { need: 'medical' }).some((h) => h.agency.id === 'dms')).toBe(false);
    expect(referralTargetProblem(c, 'doe', 'job-placement', 'doe-lampang')).toMatch(/office was retired/);
    expect(applyCatalogEdit(c, catalogEditSchema.parse(lampangOffice))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/exists/)
    });
    expect(applyCatalogEdit(c, { op: 'add-agency', agency: { ...c.agencies[0] } })).toMatchObject({ ok: false });
    c = edited(c, { op: 'update-office', office: { ...lampang, phone: '054000000' } });
    expect(c.offices[0]).toMatchObject({ phone: '054000000', retired: true });
  });

  it('refuses a bad edit with the field named', () => {
    const r = catalogEditSchema.safeParse({ op: 'add-office', office: { ...lampang, provinces: ['Lampang'] } });
    expect(r.error?.issues[0].path).toEqual(['office', 'provinces', 0]);
    expect(r.error?.issues[0].message).toMatch(/รหัสจังหวัด/);
  });

  it('"เรียงจากอันดับ 1 ก่อน หากไม่สามารถจับคู่ได้ ค่อยพิจารณา … ในลำดับถัด ๆ ไป": a retired 1st choice falls to the 2nd', () => {
    const c = edited(initialCatalog(), { op: 'retire', agencyId: 'dtam' });
    const result = matchByRank(
      [
        { agencyId: 'dtam', serviceId: 'thai-massage' },
        { agencyId: 'dsd', serviceId: 'vocational-training' }
      ],
      (choice) => referralTargetProblem(c, choice.agencyId, choice.serviceId)
    );
    expect(result).toMatchObject({ outcome: 'matched', rank: 2 });
  });

  it('"ไม่สามารถจับคู่ความต้องการได้ทั้ง 3 อันดับ … สอบถามผู้มีบัตรฯ อีกครั้งหนึ่ง": no office in the home province for any choice → ask again', () => {
    const c = edited(initialCatalog(), lampangOffice, {
      op: 'add-office',
      office: { ...lampang, id: 'dtam-lampang', agencyId: 'dtam' }
    });
    const choices = [
      { agencyId: 'doe', serviceId: 'job-placement' },
      { agencyId: 'dtam', serviceId: 'thai-massage' }
    ];
    expect(matchByRank(choices, choiceAvailability(c, '52'))).toMatchObject({ outcome: 'matched', rank: 1 });
    const elsewhere = matchByRank(choices, choiceAvailability(c, '50'));
    expect(elsewhere).toMatchObject({
      outcome: 'ask-again',
      reasons: [{ rank: 1, reason: expect.stringMatching(/no office/) }, { rank: 2 }]
    });
    // An agency without listed offices serves everywhere.
    expect(matchByRank([{ agencyId: 'dsd', serviceId: 'vocational-training' }], choiceAvailability(c, '50'))).toMatchObject({
      outcome: 'matched'
    });
  });
});
