/**
 * Starts the CARE Field sync-server: `node --import tsx sync-server/main.ts [--demo]`.
 * Environment: PORT (8080), HOST (127.0.0.1), DATA_DIR (./data), BUILD_DIR (<repo>/build),
 * COOKIE_SECURE=1 behind a TLS proxy, TRUSTED_PROXIES (addresses/CIDRs) to read X-Forwarded-For,
 * SESSION_IDLE_MINUTES, SESSION_MAX_HOURS, IDLE_LOCK_SECONDS, LOG_LEVEL (info),
 * COUCHDB_URL (with credentials) to store in CouchDB instead of DATA_DIR, COUCHDB_PREFIX (database-name
 * prefix there), SYNC_BODY_LIMIT (bytes).
 */
import { buildServer } from './app.ts';
import { repairInterruptedWrites } from './audit-repair.ts';
import { sweepExpiredSessions } from './auth/sessions.ts';
import { LIMITS, readConfig } from './config.ts';
import { DEMO_PASSWORD, DEMO_USERS, DemoRefused, seedDemo } from './demo.ts';
import { CouchStorage } from './storage/couchdb.ts';
import { EmbeddedStorage } from './storage/embedded.ts';
import type { StoragePort } from './storage/port.ts';
import { prepareStorage } from './system-db.ts';
import { ensureInitialAdmin } from './users.ts';

const SESSION_SWEEP_MS = 60 * 60_000;

async function main() {
  const config = readConfig();
  const storage: StoragePort = config.couchdbUrl
    ? new CouchStorage(config.couchdbUrl, { prefix: config.couchdbPrefix, requestTimeoutMs: config.couchdbRequestTimeoutMs })
    : new EmbeddedStorage(config.dataDir);
  const { system, audit } = await prepareStorage(storage);

  if (config.demo) {
    const summary = await seedDemo(storage);
    console.log(
      `Demo data: ${summary.unitsCreated} units, ${summary.usersCreated} users, ${summary.documentsCreated} documents added.` +
        ` Demo accounts: ${DEMO_USERS.map((u) => u.username).join(', ')} (password ${DEMO_PASSWORD}).`
    );
  }

  // The first administrator's password goes to the console once, never to the log.
  const adminPassword = await ensureInitialAdmin(storage);
  if (adminPassword) {
    console.log('');
    console.log('  First start: created user "admin" with this one-time password (shown only now):');
    console.log(`    ${adminPassword}`);
    console.log('');
  }

  await sweepExpiredSessions(system);
  // Audit intents a crash left unfinished are settled now, and once more after the grace
  // period for those too recent to settle yet (audit-repair.ts). Counts only are printed.
  const repairAudit = () =>
    repairInterruptedWrites(storage, audit)
      .then((r) => {
        if (r.recovered + r.notWritten > 0)
          console.log(`Audit: ${r.recovered} interrupted writes recovered, ${r.notWritten} marked not written.`);
      })
      .catch((e: Error) => console.error(`Audit repair failed: ${e.message}`));
  await repairAudit();
  const secondRepair = setTimeout(() => void repairAudit(), LIMITS.auditRepairGraceMs + 1_000);
  secondRepair.unref();
  const sweep = setInterval(() => void sweepExpiredSessions(system).catch(() => undefined), SESSION_SWEEP_MS);
  sweep.unref();

  const app = await buildServer({
    storage,
    buildDir: config.buildDir,
    log: { level: config.logLevel },
    cookieSecure: config.cookieSecure,
    trustedProxies: config.trustedProxies,
    sessions: { idleMs: config.sessionIdleMs, absoluteMs: config.sessionMaxMs },
    idleLockSeconds: config.idleLockSeconds,
    syncBodyBytes: config.syncBodyBytes
  });

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    clearInterval(sweep);
    clearTimeout(secondRepair);
    await app.close();
    await storage.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  // Never print COUCHDB_URL: it holds the password.
  const where = config.couchdbUrl ? `CouchDB at ${new URL(config.couchdbUrl).host}` : config.dataDir;
  console.log(`CARE Field is running at http://${shownHost}:${port}/  (data in ${where})`);
}

main().catch((error) => {
  console.error(error instanceof DemoRefused ? error.message : error);
  process.exit(1);
});
