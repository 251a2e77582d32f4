/**
 * A CouchDB-compatible stand-in for tests: express-pouchdb over in-memory PouchDB databases,
 * listening on a random loopback port, with one admin whose credentials the adapter sends (wrong
 * ones are refused with 401; unlike CouchDB 3, anonymous reads are still let in). No CouchDB can be installed on the build machines; this lets the CouchDB
 * storage adapter speak real HTTP to something that answers like CouchDB.
 *
 * Known differences from CouchDB, which the adapter must survive rather than rely on:
 * sequences are integers (CouchDB 2+: opaque strings), and `nano.auth()` cookies are not kept,
 * so the adapter uses Basic credentials from the URL.
 */
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import PouchDB from 'pouchdb-node';

const require = createRequire(import.meta.url);

export const STANDIN_ADMIN = { username: 'admin', password: 'standin-admin-pw' };

let instances = 0;

export interface CouchStandIn {
  /** http://admin:pw@127.0.0.1:<port> — what COUCHDB_URL would hold. */
  url: string;
  /** The same without credentials (for tests that check anonymous access). */
  plainUrl: string;
  /** Method and URL of every request it received, oldest first (for tests of the adapter). */
  requests: string[];
  /** `_changes?feed=longpoll` requests it is answering right now. */
  longpollsInFlight(): number;
  stop(): Promise<void>;
}

export async function startCouchStandIn(): Promise<CouchStandIn> {
  const memoryAdapter = require('pouchdb-adapter-memory');
  PouchDB.plugin(memoryAdapter);
  // A unique prefix per stand-in: memdown keeps one store per name for the whole process.
  const prefix = `standin${++instances}-${process.pid}-`;
  const MemoryPouch = PouchDB.defaults({ adapter: 'memory', prefix } as PouchDB.Configuration.DatabaseConfiguration);
  const expressPouchDB = require('express-pouchdb');
  const app = expressPouchDB(MemoryPouch, {
    inMemoryConfig: true,
    mode: 'fullCouchDB',
    logPath: path.join(mkdtempSync(path.join(tmpdir(), 'care-field-standin-')), 'log.txt'),
    overrideMode: { exclude: ['routes/fauxton'] }
  });
  app.couchConfig.set('admins', STANDIN_ADMIN.username, STANDIN_ADMIN.password, () => undefined);
  // Counts the longpoll waits it holds, so tests can see the sync-server end one against it.
  const express = require('express');
  const outer = express();
  let longpolls = 0;
  const requests: string[] = [];
  outer.use((req: { url: string; method: string }, res: { once(e: string, f: () => void): void }, next: () => void) => {
    if (requests.length < 100_000) requests.push(`${req.method} ${req.url}`);
    if (/\/_changes\b/.test(req.url) && /[?&]feed=longpoll\b/.test(req.url)) {
      longpolls++;
      res.once('close', () => longpolls--);
    }
    next();
  });
  outer.use(app);
  const server: Server = await new Promise((resolve) => {
    const s = outer.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${STANDIN_ADMIN.username}:${STANDIN_ADMIN.password}@127.0.0.1:${port}`,
    plainUrl: `http://127.0.0.1:${port}`,
    requests,
    longpollsInFlight: () => longpolls,
    async stop() {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
}
