/**
 * Ending a local session: signing out (keeping the account's data, or removing it from the
 * tablet once the server has everything), the idle lock's fifth wrong try, and the server's
 * order to wipe a lost device.
 */
import * as api from './api.ts';
import { stopUnit } from './app-start.ts';
import { onDeviceLost } from './device.ts';
import type { OutboxEntry } from './local-db.ts';
import { localDb, useLocalDb } from './local-db.ts';
import { useReplicaPrefix } from './replica.ts';
import { accounts, closeScreens, endLocalSession, session } from './session.svelte.ts';
import { DEVICE_WIPED_NOTICE, REMOVAL_UNFINISHED_NOTICE, WIPE_UNFINISHED_NOTICE, type SessionNotice } from './session-notices.ts';

export { DEVICE_WIPED_NOTICE };

/** The name only: an error from the stores may quote a document. */
const errorName = (e: unknown) => (e instanceof Error ? e.name : 'unknown error');

/** Removing the data was refused: these saves have not reached the server yet. */
export class PendingWorkError extends Error {
  constructor(readonly pending: OutboxEntry[]) {
    super(`${pending.length} saves have not reached the server`);
  }
}

/** What of the signed-in account has not reached the server (pending or refused saves). */
export async function unsentWork(): Promise<OutboxEntry[]> {
  const username = session.current?.user.username;
  const account = username ? await accounts.get(username) : undefined;
  return account ? accounts.outboxOf(account, localDb) : [];
}

/**
 * Signs out. With `removeData` the account's replicas and Dexie database are deleted, but only
 * when its outbox is empty; otherwise nothing changes and PendingWorkError lists what waits.
 * A removal that fails part-way still ends the session, and the sign-in screen says the data
 * may still be on the tablet and how to remove it (REMOVAL_UNFINISHED_NOTICE).
 */
export async function signOut(options: { removeData?: boolean } = {}): Promise<void> {
  const username = session.current?.user.username;
  const account = username ? await accounts.get(username) : undefined;
  if (options.removeData) {
    const pending = await unsentWork();
    if (pending.length > 0) throw new PendingWorkError(pending);
  }
  // Sync, the projection and the screens stop, and what they were reading finishes, before any
  // database is closed: one closed under them fails with errors nobody can catch.
  await stopUnit();
  await closeScreens();
  try {
    await api.logout();
  } catch {
    /* offline: the server cookie expires on its own, and is never used for another account */
  }
  let notice: SessionNotice | undefined;
  try {
    if (options.removeData && account) {
      // The account's databases are closed and deleted before the session ends, so the sign-in
      // screen (shown as soon as it ends) never appears with the data still on the tablet.
      useLocalDb(null);
      await useReplicaPrefix(null);
      await accounts.removeAccountData(account);
    }
  } catch (e) {
    // The account's record goes last (accounts.ts), so it can sign in and remove again.
    console.error('removing the account data failed:', errorName(e));
    notice = REMOVAL_UNFINISHED_NOTICE;
  } finally {
    // Its screens are closed already: a removal that failed half-way still ends the session
    // rather than leave the tablet on "signing out" for good; the notice, not an error on a
    // screen that is gone, tells the officer.
    await endLocalSession(notice);
  }
}

let wiping: Promise<void> | null = null;

/**
 * Deletes every account's replicas and Dexie data (the server said this device is lost). The
 * order is recorded first: a wipe that fails (or a tablet switched off) part-way still ends the
 * session, the sign-in screen says the wipe did not finish, and the next start finishes it before
 * any account can open (session.svelte.ts `loadSession`).
 */
export function wipeDevice(): Promise<void> {
  wiping ??= (async () => {
    await accounts.orderWipe().catch((e: unknown) => console.error('recording the wipe order failed:', errorName(e)));
    await stopUnit();
    await closeScreens();
    let notice = WIPE_UNFINISHED_NOTICE;
    try {
      // Everything is deleted before the session ends: the sign-in screen then shows the notice.
      useLocalDb(null);
      await useReplicaPrefix(null);
      await accounts.wipeAll();
      notice = DEVICE_WIPED_NOTICE;
    } catch (e) {
      console.error('device wipe failed:', errorName(e));
    } finally {
      await endLocalSession(notice);
    }
  })().finally(() => (wiping = null));
  return wiping;
}

/** Installs the wipe on the server's `device_lost` answer; `then` runs after it (go to sign-in). */
export function watchDeviceLost(then: () => void): () => void {
  return onDeviceLost(() => void wipeDevice().then(then));
}
