/**
 * Liveness and readiness: `/api/health` says the process is up; `/api/ready` says this instance
 * can reach its store, and answers 503 within a short timeout when the store is gone or hangs,
 * so a load balancer stops sending it traffic.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../sync-server/app.ts';
import type { DocumentStore, StoragePort } from '../../sync-server/storage/port.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** The same store, with a switch that makes every database's `info()` never answer. */
function hangable(storage: StoragePort): { storage: StoragePort; hang(): void } {
  let hanging = false;
  const wrapped: StoragePort = {
    kind: storage.kind,
    createDatabase: (name) => storage.createDatabase(name),
    databaseExists: (name) => storage.databaseExists(name),
    openDatabase(name) {
      const db = storage.openDatabase(name);
      return new Proxy(db, {
        get(target, property) {
          if (property === 'info' && hanging) return () => new Promise(() => undefined);
          const value = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        }
      }) as DocumentStore;
    },
    close: () => storage.close()
  };
  return { storage: wrapped, hang: () => (hanging = true) };
}

describe('health and readiness', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.stop());

  it('is ready while the store answers', async () => {
    const answer = await fetch(`${server.url}/api/ready`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: 'ready', storage: server.storageKind });
  });

  it('answers 503 within its timeout when the store hangs, while /api/health stays 200', async () => {
    const store = hangable(server.storage);
    const app: FastifyInstance = await buildServer({ storage: store.storage, log: false, readyTimeoutMs: 300 });
    try {
      expect((await app.inject({ url: '/api/ready' })).statusCode).toBe(200);
      store.hang();
      // The previous probe answers for a second; then the store is asked again.
      await new Promise((r) => setTimeout(r, 1_100));
      const started = Date.now();
      const [first, second] = await Promise.all([app.inject({ url: '/api/ready' }), app.inject({ url: '/api/ready' })]);
      expect(Date.now() - started).toBeLessThan(1_500);
      for (const answer of [first, second]) {
        expect(answer.statusCode).toBe(503);
        expect(answer.json()).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/cannot be reached/) });
      }
      expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('answers 503 once the store is gone (CouchDB stopped, embedded store closed), while /api/health stays 200', async () => {
    if (server.couch) await server.couch.stop();
    else await server.storage.close();
    await new Promise((r) => setTimeout(r, 1_100));
    const answer = await fetch(`${server.url}/api/ready`);
    expect(answer.status).toBe(503);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });
});
