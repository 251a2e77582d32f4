/**
 * The idle lock: after the account's `idleLockSeconds` without a touch or key the app is covered
 * by the lock screen (forms stay as they are underneath; drafts are already saved). It opens with
 * the password or the user's PIN, checked on the device; five wrong tries in a row end the local
 * session (the data stays).
 */
import { stopUnit } from './app-start.ts';
import { accounts, endLocalSession, session, setLocked } from './session.svelte.ts';

export const MAX_UNLOCK_TRIES = 5;
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'touchstart', 'wheel', 'input'] as const;

export const TOO_MANY_TRIES_NOTICE = {
  th: 'ปลดล็อกผิด 5 ครั้งติดต่อกัน กรุณาเข้าสู่ระบบใหม่ ข้อมูลในเครื่องยังอยู่ครบ',
  en: 'Five wrong unlock attempts in a row: sign in again. The data on this tablet is kept.'
};

/** Starts watching for inactivity; returns the function that stops it. */
export function watchIdle(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    if (!session.current || session.locked) return;
    timer = setTimeout(() => void setLocked(true, session.failedUnlocks), session.current.idleLockSeconds * 1000);
  };
  for (const e of ACTIVITY_EVENTS) window.addEventListener(e, arm, { capture: true, passive: true });
  arm();
  return () => {
    clearTimeout(timer);
    for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, arm, { capture: true });
  };
}

/** 'unlocked', 'wrong' (tries left) or 'ended' (the fifth wrong try ended the local session). */
export async function unlock(secret: string): Promise<{ result: 'unlocked' | 'wrong' | 'ended'; triesLeft: number }> {
  const username = session.current?.user.username;
  if (!username) return { result: 'ended', triesLeft: 0 };
  if (await accounts.checkUnlock(username, secret)) {
    await setLocked(false, 0);
    return { result: 'unlocked', triesLeft: MAX_UNLOCK_TRIES };
  }
  const failed = session.failedUnlocks + 1;
  if (failed >= MAX_UNLOCK_TRIES) {
    await stopUnit();
    await endLocalSession(TOO_MANY_TRIES_NOTICE);
    return { result: 'ended', triesLeft: 0 };
  }
  await setLocked(true, failed);
  return { result: 'wrong', triesLeft: MAX_UNLOCK_TRIES - failed };
}
