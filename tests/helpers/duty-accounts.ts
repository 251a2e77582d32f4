/**
 * Officer accounts of unit B that carry a duty for assistance requests: the strategy group's
 * intake staff and the finance officer (docs/domain/assistance-requests.md). The duty is written
 * on the account document in the system store, where the server reads it.
 */
import type { StoredDoc } from '../../sync-server/storage/port.ts';
import { SYSTEM_DB } from '../../sync-server/system-db.ts';
import { createUser, userDocId } from '../../sync-server/users.ts';
import { PASSWORD, UNIT_B, type TestServer } from './server.ts';

export const STAFF = 'staff.b';
export const FINANCE = 'finance.b';

/** Creates the staff (`intake`) and finance (`finance`) officers of unit B, password PASSWORD. */
export async function createStaffAndFinance(server: TestServer): Promise<void> {
  for (const [username, duties] of [
    [STAFF, ['intake']],
    [FINANCE, ['finance']]
  ] as const) {
    await createUser(server.storage, { username, displayName: username, role: 'officer', units: [UNIT_B], password: PASSWORD });
    const system = server.storage.openDatabase(SYSTEM_DB);
    await system.put({ ...((await system.get(userDocId(username))) as StoredDoc), duties });
  }
}
