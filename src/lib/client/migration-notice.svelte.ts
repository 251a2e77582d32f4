/**
 * What the officer is told when this tablet's own data could not be brought up to the app's
 * schema version at start (migrate-local.ts): the data stays as it was and still syncs (the
 * server accepts the previous version), but someone should know.
 */
export const migrationNotice = $state<{ problem: { th: string; en: string } | null }>({ problem: null });

export const MIGRATION_FAILED = {
  th: 'ปรับข้อมูลในเครื่องให้เข้ากับแอปรุ่นใหม่ไม่สำเร็จ ข้อมูลยังอยู่ครบตามเดิมและยังซิงก์ได้ จะลองใหม่เมื่อเปิดแอปครั้งถัดไป',
  en: "This tablet's data could not be updated for the new app version. Nothing was changed or lost and it still syncs; it is tried again at the next start."
};

export function migrationProblems(count: number): { th: string; en: string } {
  return {
    th: `มีงานที่ยังไม่ได้ส่ง ${count} รายการที่ปรับให้เข้ากับแอปรุ่นใหม่ไม่ได้ ข้อมูลยังอยู่ในเครื่องตามเดิม`,
    en: `${count} unsent item(s) could not be updated for the new app version; they are kept on this tablet as they were.`
  };
}
