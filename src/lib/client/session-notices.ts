/**
 * What the sign-in screen says about the way the last local session ended, when it ended for a
 * reason the officer did not choose or did not fully get (session.svelte.ts stores it under
 * NOTICE). Thai first, English second.
 */
export interface SessionNotice {
  th: string;
  en: string;
}

export const ACCOUNT_DISABLED_NOTICE: SessionNotice = {
  th: 'บัญชีนี้ถูกระงับหรือรหัสผ่านถูกเปลี่ยน กรุณาเข้าสู่ระบบขณะมีสัญญาณอินเทอร์เน็ต ข้อมูลในเครื่องยังอยู่ครบ',
  en: 'This account was disabled or its password changed: sign in with a connection. The data on this tablet is kept.'
};

export const DEVICE_WIPED_NOTICE: SessionNotice = {
  th: 'เครื่องนี้ถูกแจ้งว่าสูญหาย ข้อมูลทั้งหมดในเครื่องถูกลบแล้ว',
  en: 'This tablet was reported lost: all data on it has been deleted.'
};

/** The lost device's wipe failed part-way: it is tried again at every start until it finishes. */
export const WIPE_UNFINISHED_NOTICE: SessionNotice = {
  th: 'เครื่องนี้ถูกแจ้งว่าสูญหาย แต่การลบข้อมูลในเครื่องยังไม่เสร็จ ข้อมูลบางส่วนอาจยังอยู่ในเครื่อง ระบบจะลบต่อเมื่อเปิดแอปครั้งถัดไป และจะยังเข้าสู่ระบบไม่ได้จนกว่าจะลบเสร็จ กรุณาปิดแอปแล้วเปิดใหม่ หากยังไม่สำเร็จให้แจ้งผู้ดูแลระบบ',
  en: 'This tablet was reported lost, but deleting its data did not finish: some data may still be on it. The deletion is tried again when the app next opens, and nobody can sign in until it has finished. Close and reopen the app; if it still fails, tell your administrator.'
};

/** Signing out with "remove the data" ended the session, but the removal stopped part-way. */
export const REMOVAL_UNFINISHED_NOTICE: SessionNotice = {
  th: 'ออกจากระบบแล้ว แต่การลบข้อมูลของบัญชีออกจากเครื่องยังไม่เสร็จ ข้อมูลบางส่วนอาจยังอยู่ในเครื่อง กรุณาเข้าสู่ระบบแล้วเลือก "ออกจากระบบและลบข้อมูลของบัญชีนี้" อีกครั้ง',
  en: 'You are signed out, but removing the account’s data from this tablet did not finish: some of it may still be here. Sign in and choose “Sign out and remove this account’s data” again.'
};
