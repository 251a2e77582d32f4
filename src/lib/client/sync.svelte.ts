/**
 * Live two-way replication between the unit's replica and the sync-server.
 * - One replication at a time (browsers allow ~6 connections per host; the pull side holds one).
 * - Restarted on the browser's `online` event: PouchDB's own retry back-off grows to minutes,
 *   and an officer at a prison gate may have ten seconds of signal. While the browser says online
 *   but the server cannot be reached, the start is re-tried on a bounded back-off.
 * - The outbox lists saves the server has not confirmed; a refused document keeps its reason.
 */
import { DEFAULT_BATCH_SIZE, nextBatchSize } from './batch-size.ts';
import { clearQuotaFailure, isQuotaError, noteQuotaFailure, onQuotaFailure } from './device-storage.svelte.ts';
import { checkForConflicts, rememberWrittenRevs, scanForConflicts } from './conflicts.ts';
import { deviceFetch } from './device.ts';
import { localDb } from './local-db.ts';
import { Outbox } from './outbox.ts';
import { remoteFor, replicaFor } from './replica.ts';

export type SyncPhase = 'idle' | 'offline' | 'connecting' | 'syncing' | 'up-to-date' | 'error' | 'needs-login';

export interface SyncError {
  th: string;
  en: string;
  at: string;
}

export const sync = $state<{
  unitId: string | null;
  phase: SyncPhase;
  lastSuccessAt: string | null;
  lastError: SyncError | null;
  pulled: number;
  pushed: number;
  /**
   * The pull of this session: documents read so far, and the number the server said it holds
   * (`GET /sync/U/` doc_count) when the pull started; for the progress bar of a first sync.
   */
  progress: { read: number; total: number | null; pending: number | null; first: boolean };
}>({
  unitId: null,
  phase: 'idle',
  lastSuccessAt: null,
  lastError: null,
  pulled: 0,
  pushed: 0,
  progress: { read: 0, total: null, pending: null, first: false }
});

let handler: PouchDB.Replication.Sync<object> | null = null;
/** The replication this page runs or is starting (valid while its generation is current). */
let running: { unitId: string; readOnly: boolean; generation: number } | null = null;
const scanned = new Set<string>();
/** Halved after each 413 (batch-size.ts), for the rest of this page's life. */
let batchSize = DEFAULT_BATCH_SIZE;
let onNeedsLogin: (() => void) | null = null;
/** The server no longer accepts the account (disabled): the local session ends. */
let onAccountDisabled: (() => void) | null = null;
let readOnly = false;

const MAX_BACK_OFF_MS = 60_000;

/**
 * Documents per pull batch. Each batch costs a `_changes` page, a `_bulk_get` and a checkpoint
 * write, so on a 400 ms link a first sync of a few thousand documents spends most of its time in
 * round trips at 100 per batch. One batch's documents are held in memory together, and a
 * follow-up may carry a photo of up to ~400 KB: 250 keeps the worst batch near 100 MB on a cheap
 * tablet (500 would allow 200 MB) while still cutting the round trips of a first sync by 2.5×.
 */
export const PULL_BATCH_SIZE = 250;

/** Plain Thai (and English) for what went wrong, from a PouchDB/HTTP error. */
export function describeSyncError(err: unknown): { th: string; en: string } {
  const e = err as { status?: number; name?: string; message?: string; reason?: string };
  if (e?.status === 401) return { th: 'เซสชันหมดอายุ กรุณาเข้าสู่ระบบอีกครั้งเพื่อซิงก์ข้อมูล', en: 'Session expired: log in again to sync' };
  if (e?.status === 403) return { th: 'บัญชีนี้ไม่มีสิทธิ์ซิงก์ข้อมูลของหน่วยงานนี้', en: 'This account may not sync this unit' };
  if (isQuotaError(err))
    return {
      th: 'พื้นที่เก็บข้อมูลในเครื่องเต็ม ข้อมูลที่บันทึกไว้แล้วยังอยู่ครบ กรุณาซิงก์และลบไฟล์อื่นในเครื่องเพื่อเพิ่มพื้นที่',
      en: 'This tablet is out of storage space. Everything saved is still here; sync and free some space.'
    };
  if (e?.status === 413) return { th: 'ข้อมูลชุดนี้ใหญ่เกินกว่าที่เซิร์ฟเวอร์รับได้', en: 'The server refused a batch as too large' };
  if (e?.status && e.status >= 500) return { th: 'เซิร์ฟเวอร์ขัดข้อง จะลองใหม่อัตโนมัติ', en: 'Server error; retrying automatically' };
  if (e?.status === 0 || e?.name === 'TypeError' || /fetch|network/i.test(e?.message ?? ''))
    return { th: 'เชื่อมต่อเซิร์ฟเวอร์ไม่ได้ จะลองใหม่เมื่อมีสัญญาณ', en: 'Cannot reach the server; will retry when there is signal' };
  return {
    th: `ซิงก์ไม่สำเร็จ: ${e?.reason ?? e?.message ?? 'ไม่ทราบสาเหตุ'}`,
    en: `Sync failed: ${e?.reason ?? e?.message ?? 'unknown error'}`
  };
}

async function journal(unitId: string, kind: 'synced' | 'error' | 'refused' | 'started' | 'offline', message: string) {
  await localDb.journal.add({ unitId, at: new Date().toISOString(), kind, message });
  // Keep the journal small: the last 500 entries are plenty to explain what happened.
  const count = await localDb.journal.count();
  if (count > 600) {
    const old = await localDb.journal
      .orderBy('id')
      .limit(count - 500)
      .primaryKeys();
    await localDb.journal.bulkDelete(old);
  }
}

async function restoreStatus(unitId: string) {
  const last = await localDb.settings.get(`sync-status:${unitId}`);
  const v = last?.value as { lastSuccessAt: string | null; lastError: SyncError | null } | undefined;
  sync.lastSuccessAt = v?.lastSuccessAt ?? null;
  sync.lastError = v?.lastError ?? null;
}

async function persistStatus(unitId: string) {
  await localDb.settings.put({
    key: `sync-status:${unitId}`,
    value: { lastSuccessAt: sync.lastSuccessAt, lastError: $state.snapshot(sync.lastError) }
  });
}

async function confirmPushed(box: Outbox, unitId: string, docs: { _id: string; _rev?: string }[]) {
  if (box.db !== localDb) return; // another account signed in meanwhile: its sync confirms its own
  await rememberWrittenRevs(unitId, docs);
  await box.confirm(unitId, docs);
}

async function markRefused(box: Outbox, unitId: string, denied: { id?: string; reason?: string; message?: string }) {
  if (!denied.id || box.db !== localDb) return;
  const reason = denied.reason ?? denied.message ?? 'refused';
  await box.refuse(denied.id, reason);
  await journal(unitId, 'refused', `${denied.id}: ${reason}`);
}

/**
 * Bumped by every start and stop: a start that was overtaken while it awaited (the user switched
 * units, went offline) gives up instead of starting a second, untracked replication.
 */
let generation = 0;

/** How long after a start the conflict scan waits, so it does not compete with the first screen. */
const SCAN_DELAY_MS = 2_000;

/**
 * The browser says it is online, yet the server was not reached (a weak signal, a network with no
 * way out, an `online` event missed): no `online` event will come to restart sync, so the start is
 * tried again after a pause that doubles each time (5 s, 10 s, ... at most a minute).
 */
export const RECHECK_FIRST_MS = 5_000;
let recheckDelay = RECHECK_FIRST_MS;
let recheckTimer: ReturnType<typeof setTimeout> | undefined;

function recheckLater(mine: number) {
  clearTimeout(recheckTimer);
  const delay = recheckDelay;
  recheckDelay = Math.min(recheckDelay * 2, MAX_BACK_OFF_MS);
  recheckTimer = setTimeout(() => {
    recheckTimer = undefined;
    // A start or stop since (the signal went, another unit, sign-out) decides instead.
    if (mine === generation && navigator.onLine) whenOnline();
  }, delay);
}

/**
 * The replication's own writes on the tablet still under way (outbox confirmations, refusals, the
 * status) and a cancelled replication not yet complete: signing out waits for them (`syncSettled`)
 * before it closes the databases, so a confirmation is not cut off and nothing fails unseen on a
 * closed database. A failure of one is reported; an unconfirmed save simply stays in the outbox.
 */
const underWay = new Set<Promise<unknown>>();
function track(work: Promise<unknown>, what: string): void {
  underWay.add(work);
  void work
    .catch((e: unknown) => console.error(`${what} failed`, e instanceof Error ? e.name : 'unknown error'))
    .finally(() => underWay.delete(work));
}

/** Resolves once the work of stopped replications and their bookkeeping writes has finished. */
export async function syncSettled(): Promise<void> {
  while (underWay.size > 0) await Promise.allSettled([...underWay]);
}

export function stopSync() {
  generation++;
  clearTimeout(recheckTimer);
  recheckTimer = undefined;
  if (handler) {
    const h = handler;
    track(new Promise<void>((resolve) => h.on('complete', () => resolve())), 'replication stop');
    h.cancel();
  }
  handler = null;
}

/** Starts (or restarts) live sync of one unit. Safe to call repeatedly. */
export async function startSync(
  unitId: string,
  options: { onNeedsLogin?: () => void; onAccountDisabled?: () => void; readOnly?: boolean; offlineOnly?: boolean } = {}
): Promise<void> {
  stopSync();
  const mine = generation;
  const overtaken = () => mine !== generation;
  if (options.onNeedsLogin) onNeedsLogin = options.onNeedsLogin;
  if (options.onAccountDisabled) onAccountDisabled = options.onAccountDisabled;
  if (sync.unitId !== unitId) await restoreStatus(unitId);
  if (overtaken()) return;
  sync.unitId = unitId;
  if (!scanned.has(unitId)) {
    // Once per page and unit: conflicts that came in before a crash or in an older version.
    // After the first screen is drawn, so the scan does not compete with it.
    scanned.add(unitId);
    setTimeout(
      () => void scanForConflicts(unitId).catch((e) => console.error('conflict scan failed', (e as Error).name)),
      SCAN_DELAY_MS
    );
  }
  if (!navigator.onLine || options.offlineOnly) {
    sync.phase = 'offline';
    if (navigator.onLine) recheckLater(mine);
    return;
  }
  // From here PouchDB's own retry takes over; the next unreachable server starts at a short pause.
  recheckDelay = RECHECK_FIRST_MS;
  sync.phase = 'connecting';
  running = { unitId, readOnly: options.readOnly ?? readOnly, generation: mine };
  const local = await replicaFor(unitId);
  const remote = await remoteFor(unitId);
  if (overtaken()) return;
  if (options.readOnly !== undefined) readOnly = options.readOnly;
  // Only a first sync reads the whole unit, so only then is "read / server total" a progress.
  sync.progress = { read: 0, total: null, pending: null, first: sync.lastSuccessAt === null };
  void serverDocCount(unitId).then((total) => {
    if (sync.unitId === unitId) sync.progress.total = total;
  });
  const opts = {
    live: true,
    retry: true,
    batch_size: batchSize,
    back_off_function: (delay: number) => (delay === 0 ? 1000 : Math.min(delay * 2, MAX_BACK_OFF_MS))
  };
  // The push keeps `batchSize` (halved after a 413 of the server's body limit); a pull sends only
  // ids, so its batches can be larger.
  const pullOpts = { ...opts, batch_size: PULL_BATCH_SIZE };
  // Read-only accounts (supervisors) only pull: the server answers 403 to any write of theirs.
  const h = (readOnly
    ? local.replicate.from(remote, pullOpts)
    : local.sync(remote, { ...opts, pull: pullOpts })) as unknown as PouchDB.Replication.Sync<object>;
  // The outbox of the account this replication was started for.
  const box = new Outbox(localDb);
  handler = h;
  const current = () => handler === h;

  h.on('active', () => {
    paused = false;
    if (current()) sync.phase = 'syncing';
  });
  h.on('change', (info) => {
    if (!current()) return;
    // sync() reports {direction, change}; a pull-only replication reports the change itself.
    const direction = 'direction' in info ? info.direction : 'pull';
    const docs = ('change' in info ? info.change.docs : (info as unknown as { docs: object[] }).docs) as {
      _id: string;
      _rev?: string;
    }[];
    if (direction === 'push') {
      sync.pushed += docs.length;
      clearQuotaFailure();
      track(confirmPushed(box, unitId, docs), 'outbox confirmation');
    } else {
      sync.pulled += docs.length;
      const c = ('change' in info ? info.change : info) as { docs_read?: number; pending?: number };
      sync.progress.read = c.docs_read ?? sync.progress.read + docs.length;
      if (typeof c.pending === 'number') sync.progress.pending = c.pending;
      void checkForConflicts(
        unitId,
        docs.map((d) => d._id)
      ).catch((e) => console.error('conflict check failed', (e as Error).name));
    }
  });
  h.on('denied', (err) => {
    // sync() wraps the refusal as {direction, doc}; a one-way replication reports it bare.
    const e = err as { doc?: { id?: string; reason?: string }; id?: string; reason?: string };
    track(markRefused(box, unitId, e.doc && typeof e.doc === 'object' && 'id' in e.doc ? e.doc : e), 'refusal record');
  });
  // PouchDB's two-way sync starts with both directions counted as paused, so a push that goes
  // active and pauses before the pull has started reports the whole sync paused: "up to date"
  // with nothing pulled yet. Up to date is when the pull itself has caught up, too.
  const pull = (readOnly ? h : (h as unknown as { pull: PouchDB.Replication.Replication<object> }).pull) as unknown as {
    on(event: 'active' | 'paused', listener: (err?: unknown) => void): void;
  };
  let pullCaughtUp = false;
  let paused = false;
  const upToDate = () => {
    if (!current() || !pullCaughtUp || !paused) return;
    sync.phase = 'up-to-date';
    sync.lastSuccessAt = new Date().toISOString();
    track(persistStatus(unitId), 'sync status');
  };
  pull.on('active', () => {
    pullCaughtUp = false;
  });
  pull.on('paused', (err) => {
    if (err) return; // reported by the sync's own events
    pullCaughtUp = true;
    upToDate();
  });
  h.on('paused', (err) => {
    if (!current()) return;
    if (err) {
      paused = false;
      fail(unitId, err);
      return;
    }
    paused = true;
    upToDate();
  });
  h.on('error', (err) => {
    if (current()) fail(unitId, err);
  });
  // PouchDB retries every error for ever but a 401 (and one named 'forbidden'), and a two-way sync
  // drops the error of a direction that pauses: the server's refusal of the account (403
  // account_disabled) would go unheard, retried with a growing back-off. Each retry reports the
  // error as `requestError` on its direction.
  type Direction = { on(event: 'requestError', listener: (err: unknown) => void): unknown };
  const both = h as unknown as { push: Direction; pull: Direction };
  for (const direction of readOnly ? [h as unknown as Direction] : [both.push, both.pull])
    direction.on('requestError', (err) => {
      if (current() && isAccountRefusal(err)) fail(unitId, err);
    });
}

/** The server no longer accepts this account (sync-server authenticate.ts `account_disabled`). */
function isAccountRefusal(err: unknown): boolean {
  const e = err as { status?: number; name?: string; error?: string } | null;
  return e?.status === 403 && (e.name === 'account_disabled' || e.error === 'account_disabled');
}

/**
 * True while this page's replication of `unitId` (pull-only or both ways, as asked) is starting,
 * running or caught up: starting it again would only cancel it and repeat its first round trips
 * (the remote's id, the checkpoints) on a slow link. One that failed or went offline is not.
 */
export function syncRunning(unitId: string, readOnly: boolean): boolean {
  return (
    running !== null &&
    running.generation === generation &&
    running.unitId === unitId &&
    running.readOnly === readOnly &&
    (sync.phase === 'connecting' || sync.phase === 'syncing' || sync.phase === 'up-to-date')
  );
}

/** How many documents the server holds for the unit (null when it cannot say). */
async function serverDocCount(unitId: string): Promise<number | null> {
  try {
    const res = await deviceFetch(`/sync/${encodeURIComponent(unitId)}/`, { credentials: 'same-origin' });
    if (!res.ok) return null;
    const info = (await res.json()) as { doc_count?: number };
    return typeof info.doc_count === 'number' ? info.doc_count : null;
  } catch {
    return null;
  }
}

function fail(unitId: string, err: unknown) {
  const status = (err as { status?: number }).status;
  const smaller = nextBatchSize(batchSize, err);
  if (smaller !== null) {
    // PouchDB would retry the same too-large batch for ever: restart with half as many documents.
    void journal(unitId, 'error', `batch too large (413): ${batchSize} → ${smaller} documents per batch`);
    batchSize = smaller;
    void startSync(unitId);
    return;
  }
  const msg = describeSyncError(err);
  sync.lastError = { ...msg, at: new Date().toISOString() };
  void persistStatus(unitId);
  void journal(unitId, 'error', msg.en);
  if (isQuotaError(err)) {
    noteQuotaFailure(unitId); // replaces the replica instance and restarts sync on it
    return;
  }
  if (isAccountRefusal(err)) {
    sync.phase = 'needs-login';
    stopSync();
    onAccountDisabled?.();
    return;
  }
  if (status === 401) {
    // Retrying without a valid session only fills the server's logs; wait for a new login.
    sync.phase = 'needs-login';
    stopSync();
    onNeedsLogin?.();
    return;
  }
  sync.phase = navigator.onLine ? 'error' : 'offline';
}

// After a write failed for space the replica instance was replaced: sync moves to the new one
// (the old connection is closed and would fail every retry).
onQuotaFailure((unitId) => {
  if (sync.unitId !== unitId) return;
  stopSync();
  sync.phase = navigator.onLine ? 'error' : 'offline';
  // Not at once: if the disk is still full the next pull fails the same way.
  if (navigator.onLine) setTimeout(() => void startSync(unitId), 15_000);
});

/**
 * Forgets the signed-in account's sync state (another account signs in): its status, counters
 * and conflict scans belong to that account's databases.
 */
export function resetSync(): void {
  stopSync();
  recheckDelay = RECHECK_FIRST_MS;
  scanned.clear();
  Object.assign(sync, {
    unitId: null,
    phase: 'idle',
    lastSuccessAt: null,
    lastError: null,
    pulled: 0,
    pushed: 0,
    progress: { read: 0, total: null, pending: null, first: false }
  });
}

let listening = false;
let whenOnline: () => void = () => {};
/**
 * Calls `onOnline` on `online` (the caller checks the server session, then restarts sync), and
 * again later while the browser says online but the server was not reached (`recheckLater`);
 * shows offline on `offline`. The listeners are installed once per page; the latest `onOnline`
 * counts.
 */
export function watchConnectivity(onOnline: () => void) {
  whenOnline = onOnline;
  if (listening) return;
  listening = true;
  window.addEventListener('online', () => {
    recheckDelay = RECHECK_FIRST_MS;
    // A signal that came back restarts even a replication that looks alive: its connections
    // may be dead while PouchDB's back-off waits.
    running = null;
    whenOnline();
  });
  window.addEventListener('offline', () => {
    stopSync();
    sync.phase = 'offline';
  });
}
