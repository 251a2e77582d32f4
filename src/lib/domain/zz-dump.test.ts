import { it } from 'vitest';
import { checkDoc } from '/work/main/src/lib/domain/validate-doc.ts';
import { changed, fullCare01, fullPerson, UNIT, REMOVE } from '/work/main/src/lib/domain/test-fixtures.ts';
it('dump', () => {
  const cases: [string[], unknown][] = [
    [['helpWanted'], { choice: 'none', needs: ['capital'] }],
    [['helpWanted'], { choice: 'maybe' }],
    [['helpWanted'], { choice: 'wants' }],
    [['helpWanted'], true],
    [['address','country'], 'TH'],
    [['skills'], ['car-licensed','car-unlicensed']],
    [['helpGiven', '0', 'agencyId'], 'doe'],
    [['helpGiven', '1'], { action: 'referral', detail: '  ' }],
    [['prisonerSignature','position'], 'x'],
    [['_revisions'], { start: 1, ids: [], extra: 1 }],
    [['sentence'], '2 ปี'],
    [['createdAt'], '2026-13-22T02:15:00.000Z'],
    [['_rev'], '1-ABCDEF'],
  ];
  for (const [p, v] of cases) console.log(p.join('.'), '=>', JSON.stringify(checkDoc(changed(fullCare01(), p, v), UNIT)).slice(0, 300));
  console.log(JSON.stringify(checkDoc({ ...fullCare01(), skills: ['car-licensed','car-unlicensed'], age: 5 }, UNIT)));
});
