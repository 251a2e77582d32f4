/**
 * Space on the tablet. The browser may evict an origin's IndexedDB under storage pressure unless
 * the storage is "persistent", so persistence is asked for right after login and the answer is
 * shown. Usage against the quota is watched (warnings at 50% and 75%), and so is the size of the
 * unit's replica: past 10,000 documents a tablet gets slow and the unit should be split or archived.
 */
import { forgetReplica, replicaFor } from './replica.ts';

export const WARN_RATIO = 0.5;
export const DANGER_RATIO = 0.75;
export const MAX_REPLICA_DOCS = 10_000;

export type StorageLevel = 'ok' | 'warn' | 'danger' | 'unknown';

export const deviceStorage = $state<{
  /** null: not asked yet or not supported. */
  persisted: boolean | null;
  supported: boolean;
  usage: number | null;
  quota: number | null;
  docCount: number | null;
  checkedAt: string | null;
  /** When a write last failed for lack of space (a save or a pull). */
  quotaFailedAt: string | null;
}>({ persisted: null, supported: true, usage: null, quota: null, docCount: null, checkedAt: null, quotaFailedAt: null });

/** The browser refused a write for lack of space (IndexedDB through PouchDB or Dexie). */
export function isQuotaError(err: unknown): boolean {
  const e = err as { name?: string; message?: string; reason?: string; inner?: { name?: string; message?: string } } | null;
  if (!e) return false;
  const text = `${e.name ?? ''} ${e.message ?? ''} ${e.reason ?? ''} ${e.inner?.name ?? ''} ${e.inner?.message ?? ''}`;
  return /QuotaExceeded|quota/i.test(text);
}

const quotaListeners = new Set<(unitId: string) => void>();

/** Sync registers here to restart on a fresh replica instance after a failed write. */
export function onQuotaFailure(listener: (unitId: string) => void): void {
  quotaListeners.add(listener);
}

/**
 * A write failed for lack of space. PouchDB's IndexedDB connection is closed for good after an
 * aborted write, so the unit's replica instance is replaced: once space is freed, "save again"
 * and sync work without restarting the app. Everything stored before stays as it was.
 */
export function noteQuotaFailure(unitId?: string): void {
  deviceStorage.quotaFailedAt = new Date().toISOString();
  if (unitId)
    void forgetReplica(unitId).then(() => {
      for (const l of quotaListeners) l(unitId);
    });
}

/** Space was measured again and a write succeeded since: the warning can go. */
export function clearQuotaFailure(): void {
  deviceStorage.quotaFailedAt = null;
}

/** What the officer reads when a save did not fit on the tablet. */
export const QUOTA_MESSAGE = {
  th: 'พื้นที่เก็บข้อมูลในเครื่องเต็ม รายการนี้ยังไม่ได้บันทึก ข้อมูลที่บันทึกไว้ก่อนหน้านี้ยังอยู่ครบ กรุณาซิงก์ข้อมูลและลบรูปหรือไฟล์อื่นในเครื่อง แล้วกดบันทึกอีกครั้ง',
  en: 'This tablet is out of storage space: this entry was not saved. Everything saved before is still here. Sync, free some space on the tablet, then save again.'
};

export function usageRatio(s: { usage: number | null; quota: number | null } = deviceStorage): number | null {
  return s.usage !== null && s.quota ? s.usage / s.quota : null;
}

export function storageLevel(ratio: number | null): StorageLevel {
  if (ratio === null) return 'unknown';
  if (ratio >= DANGER_RATIO) return 'danger';
  if (ratio >= WARN_RATIO) return 'warn';
  return 'ok';
}

export function tooManyDocs(count: number | null = deviceStorage.docCount): boolean {
  return count !== null && count > MAX_REPLICA_DOCS;
}

/** Asks the browser to keep this site's data (no prompt in Chromium: granted by engagement/install). */
export async function requestPersistence(): Promise<boolean | null> {
  if (typeof navigator === 'undefined' || !navigator.storage?.persist) {
    deviceStorage.supported = false;
    return null;
  }
  try {
    deviceStorage.persisted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
  } catch {
    deviceStorage.persisted = false;
  }
  return deviceStorage.persisted;
}

export async function refreshStorage(unitId: string | null): Promise<void> {
  if (typeof navigator !== 'undefined' && navigator.storage?.estimate) {
    try {
      const e = await navigator.storage.estimate();
      deviceStorage.usage = e.usage ?? null;
      deviceStorage.quota = e.quota ?? null;
    } catch {
      /* not available (private mode): shown as unknown */
    }
  } else {
    deviceStorage.supported = false;
  }
  if (unitId) {
    try {
      deviceStorage.docCount = (await (await replicaFor(unitId)).info()).doc_count;
    } catch {
      deviceStorage.docCount = null;
    }
  }
  deviceStorage.checkedAt = new Date().toISOString();
}

/** 1234567 → "1.2 MB" (decimal units, as the OS settings show them). */
export function formatBytes(n: number | null): string {
  if (n === null) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}
