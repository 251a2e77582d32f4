import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore, normalizeSessionInfo, type ReplicaDestroyer } from './accounts.ts';
import { DeviceDb, LEGACY_DB_NAME } from './device-db.ts';
import { LocalDb } from './local-db.ts';
import { Outbox } from './outbox.ts';
import { accountKey, checkVerifier, makeVerifier, pinProblem, VERIFIER_ITERATIONS } from './verifier.ts';

/** Replica bookkeeping the store drives: which names it destroyed. */
class RecordingReplicas implements ReplicaDestroyer {
  destroyed: string[] = [];
  constructor(private readonly present: string[] = []) {}
  async destroy(name: string) {
    this.destroyed.push(name);
  }
  async list(prefix: string) {
    return this.present.filter((n) => n.startsWith(prefix));
  }
}

const officerInfo = (over: Record<string, unknown> = {}) =>
  normalizeSessionInfo({
    username: 'field.officer',
    displayName: 'เจ้าหน้าที่ภาคสนาม',
    role: 'officer',
    units: [{ id: 'lampang-probation', name: { th: 'สำนักงานคุมประพฤติลำปาง', en: 'Lampang' }, kind: 'probation-office' }],
    mustChangePassword: false,
    idleLockSeconds: 120,
    ...over
  });

let n = 0;
const freshDevice = () => new DeviceDb(`device-test-${++n}`);
const opened: Dexie[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('local verifier', () => {
  it('is PBKDF2-SHA-256 with at least 310,000 iterations and a random salt, never the password', async () => {
    const a = await makeVerifier('Demo-Pass-2569!');
    const b = await makeVerifier('Demo-Pass-2569!');
    expect(a.iterations).toBeGreaterThanOrEqual(310_000);
    expect(VERIFIER_ITERATIONS).toBe(310_000);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(JSON.stringify(a)).not.toContain('Demo-Pass');
    expect(await checkVerifier('Demo-Pass-2569!', a)).toBe(true);
    expect(await checkVerifier('Demo-Pass-2569?', a)).toBe(false);
  });

  it('accepts a PIN of six or more digits only', () => {
    expect(pinProblem('123456')).toBeNull();
    expect(pinProblem('12345')?.th).toContain('6');
    expect(pinProblem('12345a')).not.toBeNull();
    expect(pinProblem('1234567890123')).not.toBeNull();
  });

  it('names account databases by a hash, not the user name', async () => {
    const key = await accountKey('Field.Officer ');
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(key).toBe(await accountKey('field.officer'));
    expect(key).not.toBe(await accountKey('volunteer'));
  });
});

describe('the session answer', () => {
  it('reads the contract shape and the older nested one, bounding the idle time', () => {
    const flat = officerInfo();
    expect(flat.user).toEqual({ username: 'field.officer', displayName: 'เจ้าหน้าที่ภาคสนาม', role: 'officer' });
    expect(flat.idleLockSeconds).toBe(120);
    const nested = normalizeSessionInfo({ user: { username: 'v', displayName: 'อาสา', role: 'volunteer' }, units: [] });
    expect(nested.user.role).toBe('volunteer');
    expect(nested.idleLockSeconds).toBe(300);
    expect(nested.mustChangePassword).toBe(false);
    expect(normalizeSessionInfo({ username: 'x', idleLockSeconds: 1 }).idleLockSeconds).toBe(300);
    expect(normalizeSessionInfo({ username: 'x', idleLockSeconds: 10 ** 9 }).idleLockSeconds).toBe(300);
  });
});

describe('AccountStore', () => {
  it('remembers an online sign-in with a verifier and its own database names, and signs in offline against it', async () => {
    const device = freshDevice();
    opened.push(device);
    const store = new AccountStore(device, new RecordingReplicas());
    const account = await store.recordOnlineSignIn(officerInfo(), 'Demo-Pass-2569!');
    const key = await accountKey('field.officer');
    expect(account.dbName).toBe(`care-field-${key}`);
    expect(account.replicaPrefix).toBe(`care-${key}-unit-`);
    expect(JSON.stringify(await device.accounts.toArray())).not.toContain('Demo-Pass-2569!');
    expect((await store.verifyOffline('field.officer', 'Demo-Pass-2569!'))?.username).toBe('field.officer');
    expect(await store.verifyOffline('field.officer', 'wrong')).toBeNull();
    expect(await store.verifyOffline('volunteer', 'Demo-Pass-2569!')).toBeNull();
  });

  it('unlocks with the password or the PIN the user set', async () => {
    const device = freshDevice();
    opened.push(device);
    const store = new AccountStore(device, new RecordingReplicas());
    await store.recordOnlineSignIn(officerInfo(), 'Demo-Pass-2569!');
    expect(await store.checkUnlock('field.officer', '246810')).toBe(false);
    await store.setPin('field.officer', '246810');
    expect(await store.checkUnlock('field.officer', '246810')).toBe(true);
    expect(await store.checkUnlock('field.officer', 'Demo-Pass-2569!')).toBe(true);
    expect(await store.checkUnlock('field.officer', '135790')).toBe(false);
    // A new online sign-in keeps the PIN.
    await store.recordOnlineSignIn(officerInfo(), 'Demo-Pass-2569!');
    expect(await store.checkUnlock('field.officer', '246810')).toBe(true);
  });

  it("says whose unsent work is on the tablet, and removes an account's data only", async () => {
    const device = freshDevice();
    opened.push(device);
    const replicas = new RecordingReplicas();
    const store = new AccountStore(device, replicas);
    const officer = await store.recordOnlineSignIn(officerInfo(), 'Demo-Pass-2569!');
    const volunteer = await store.recordOnlineSignIn(
      officerInfo({ username: 'volunteer', displayName: 'อาสาสมัคร', role: 'volunteer', units: officerInfo().units }),
      'Demo-Pass-2569!'
    );
    const officerDb = new LocalDb(officer.dbName);
    opened.push(officerDb);
    await new Outbox(officerDb).add('lampang-probation', 'followup:1', '1-a');
    await new Outbox(officerDb).add('lampang-probation', 'followup:2', '1-b');
    const volunteerDb = new LocalDb(volunteer.dbName);
    opened.push(volunteerDb);
    await volunteerDb.drafts.put({
      key: 'followup:x',
      unitId: 'lampang-probation',
      title: '',
      href: '/',
      data: {},
      updatedAt: ''
    });

    expect(await store.pendingWork()).toEqual([{ username: 'field.officer', displayName: 'เจ้าหน้าที่ภาคสนาม', count: 2 }]);

    volunteerDb.close();
    await store.removeAccountData(volunteer);
    expect(await Dexie.exists(volunteer.dbName)).toBe(false);
    expect(replicas.destroyed).toEqual([`${volunteer.replicaPrefix}lampang-probation`]);
    expect(await store.get('volunteer')).toBeUndefined();
    // The officer's work is untouched.
    expect(await Dexie.exists(officer.dbName)).toBe(true);
    expect((await store.outboxOf(officer)).map((e) => e.docId)).toEqual(['followup:1', 'followup:2']);
  });

  it('wipes every account and the data from before accounts (lost device)', async () => {
    const device = freshDevice();
    opened.push(device);
    const replicas = new RecordingReplicas(['care-unit-old', 'care-abcdef-unit-x']);
    const store = new AccountStore(device, replicas);
    const officer = await store.recordOnlineSignIn(officerInfo(), 'Demo-Pass-2569!');
    const db = new LocalDb(officer.dbName);
    await new Outbox(db).add('lampang-probation', 'person:1', '1-a');
    db.close();
    await device.set('current-session', { username: 'field.officer' });
    await store.wipeAll();
    expect(await store.list()).toEqual([]);
    expect(await Dexie.exists(officer.dbName)).toBe(false);
    expect(await device.get('current-session')).toBeUndefined();
    expect(replicas.destroyed).toEqual(
      expect.arrayContaining([`${officer.replicaPrefix}lampang-probation`, 'care-unit-old', 'care-abcdef-unit-x'])
    );
  });
});

describe('migrating the single-account data', () => {
  it('gives the data of the signed-in account to that account, keeping its databases, once', async () => {
    const legacy = new LocalDb(LEGACY_DB_NAME);
    await legacy.settings.put({
      key: 'session',
      value: {
        user: { username: 'field.officer', displayName: 'เจ้าหน้าที่', role: 'officer' },
        units: officerInfo().units,
        activeUnitId: 'lampang-probation',
        loggedInAt: '2026-11-01T00:00:00Z'
      }
    });
    await new Outbox(legacy).add('lampang-probation', 'followup:offline', '1-a');
    await legacy.drafts.put({
      key: 'care01:d',
      unitId: 'lampang-probation',
      title: 'ร่าง',
      href: '/care01/d',
      data: {},
      updatedAt: ''
    });
    legacy.close();

    const device = freshDevice();
    opened.push(device);
    const store = new AccountStore(device, new RecordingReplicas());
    const migrated = await store.migrateLegacy();
    expect(migrated).toMatchObject({ username: 'field.officer', dbName: 'care-field', replicaPrefix: 'care-unit-' });
    expect(await device.get('current-session')).toMatchObject({
      username: 'field.officer',
      activeUnitId: 'lampang-probation',
      locked: false
    });
    // Nothing was copied or lost: the outbox and the draft are where they were, now the officer's.
    expect((await store.outboxOf(migrated!)).map((e) => e.docId)).toEqual(['followup:offline']);
    const again = new LocalDb(LEGACY_DB_NAME);
    expect(await again.drafts.count()).toBe(1);
    again.close();
    // No verifier yet: offline sign-in waits for one online sign-in, which keeps the databases.
    expect(await store.verifyOffline('field.officer', 'anything')).toBeNull();
    expect((await store.recordOnlineSignIn(officerInfo(), 'Demo-Pass-2569!')).dbName).toBe('care-field');
    expect(await store.migrateLegacy()).toBeNull();
    await Dexie.delete(LEGACY_DB_NAME);
  });
});
