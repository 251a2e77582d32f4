/**
 * A third probation office with its own officer, for tests that show a unit outside a hand-over
 * (or any sharing) sees nothing of it.
 */
import type { StoragePort } from '../../sync-server/storage/port.ts';
import { createUnit, createUser } from '../../sync-server/users.ts';
import { PASSWORD } from './server.ts';

export const UNIT_C = 'gamma-probation';
export const OFFICER_C = 'officer.c';

export async function addThirdOffice(storage: StoragePort): Promise<void> {
  await createUnit(storage, {
    unitId: UNIT_C,
    name: { th: 'สำนักงานทดสอบ ซี', en: 'Test office C' },
    kind: 'probation-office'
  });
  await createUser(storage, {
    username: OFFICER_C,
    displayName: 'Officer C',
    role: 'officer',
    units: [UNIT_C],
    password: PASSWORD
  });
}
