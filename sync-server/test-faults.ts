/**
 * Fault injection for the durability tests, switched on only by the test environment: with
 * NODE_ENV=test and CARE_TEST_KILL_AFTER_WRITE=1 the process SIGKILLs itself right after a
 * replication write reached the store and before its audit entry is completed, so a test can
 * show that a real `kill -9` at the worst moment still leaves the write audited (audit.ts).
 *
 * Read once at start-up. Any other NODE_ENV (production, development, unset) ignores the
 * variable: a production server cannot be made to kill itself by its environment alone.
 */
const killAfterWrite = process.env.NODE_ENV === 'test' && process.env.CARE_TEST_KILL_AFTER_WRITE === '1';

/** Called between the store write and the audit completion (routes/sync.ts writeScreened). */
export function afterStoreWrite(): void {
  if (killAfterWrite) process.kill(process.pid, 'SIGKILL');
}
