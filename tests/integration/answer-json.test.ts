/**
 * Replication answers serialised once and shared (sync-server/sync/answer-json.ts): the text is
 * exactly JSON.stringify of the answer, a frozen part is serialised once, and over HTTP two
 * tablets pulling the same revisions get the same answer — the new revision once one is written.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as answers from '../../sync-server/sync/answer-json.ts';
import { deepFreeze } from '../../sync-server/storage/read-cache.ts';
import type { BulkGetResponse, ChangesResponse } from '../../sync-server/storage/port.ts';
import {
  closeClients,
  login,
  makePerson,
  startTestServer,
  UNIT_A,
  USERS,
  withoutSeqs,
  type TestServer
} from '../helpers/server.ts';

// The answers are UTF-8 bytes; compared here as the text they encode.
const bulkGetJson = (response: BulkGetResponse) => answers.bulkGetJson(response).toString('utf8');
const changesJson = (response: ChangesResponse) => answers.changesJson(response).toString('utf8');

const bulkGetAnswer = (): BulkGetResponse => ({
  results: [
    { id: 'person:1', docs: [{ ok: { _id: 'person:1', _rev: '1-a', name: 'สมชาย "ใจดี"', n: [1, null] } as never }] },
    { id: 'person:2', docs: [{ missing: '1-b' }] },
    {
      id: 'person:3',
      docs: [{ error: { id: 'person:3', rev: '1-c', error: 'not_found', reason: 'missing' } }]
    }
  ]
});

describe('replication answers as shared JSON text', () => {
  it('is exactly JSON.stringify of the answer, frozen or not, whatever its shape', () => {
    const plain = bulkGetAnswer();
    expect(bulkGetJson(plain)).toBe(JSON.stringify(plain));
    const frozen = deepFreeze(bulkGetAnswer());
    expect(bulkGetJson(frozen)).toBe(JSON.stringify(frozen));
    // An entry with another member, or keys in another order, is serialised as it is.
    const odd = {
      results: [
        { docs: [{ missing: '1-x' }], id: 'person:4' },
        { id: 'p', docs: [], extra: true }
      ]
    };
    expect(bulkGetJson(odd as unknown as BulkGetResponse)).toBe(JSON.stringify(odd));
    const feed: ChangesResponse = { results: [{ seq: 3, id: 'person:1', changes: [{ rev: '1-a' }] }], last_seq: 3 };
    expect(changesJson(feed)).toBe(JSON.stringify(feed));
    expect(changesJson(deepFreeze(feed))).toBe(JSON.stringify(feed));
  });

  it('serialises a frozen part once, and a value that can still change every time', () => {
    const docs = deepFreeze([{ ok: { _id: 'person:1', _rev: '1-a' } }]) as BulkGetResponse['results'][number]['docs'];
    const first = bulkGetJson({ results: [{ id: 'person:1', docs }] });
    const original = JSON.stringify;
    let calls = 0;
    JSON.stringify = ((...args: Parameters<typeof JSON.stringify>) => {
      calls++;
      return original(...args);
    }) as typeof JSON.stringify;
    try {
      // The frozen docs are not serialised again: only the id is.
      expect(bulkGetJson({ results: [{ id: 'person:1', docs }] })).toBe(first);
      expect(calls).toBe(1);
      const open = [{ ok: { _id: 'person:1', _rev: '1-a' } }] as BulkGetResponse['results'][number]['docs'];
      bulkGetJson({ results: [{ id: 'person:1', docs: open }] });
      (open[0] as { ok: { _rev: string } }).ok._rev = '2-b';
      expect(bulkGetJson({ results: [{ id: 'person:1', docs: open }] })).toContain('"2-b"');
    } finally {
      JSON.stringify = original;
    }
  });

  describe('over HTTP', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(() => server.stop());
    afterEach(closeClients);

    it('gives every tablet the same answer, and the new revision after a write', async () => {
      const { cookie } = await login(server, USERS.officerA);
      const base = `${server.url}/sync/${UNIT_A}`;
      const person = makePerson(UNIT_A);
      const put = await fetch(`${base}/${person._id}`, {
        method: 'PUT',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(person)
      });
      expect(put.status).toBe(201);
      const { rev } = (await put.json()) as { rev: string };
      const pull = async () => {
        const response = await fetch(`${base}/_bulk_get?revs=true&latest=true`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ docs: [{ id: person._id, rev }] })
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
        return response.text();
      };
      const first = await pull();
      expect(await pull()).toBe(first);
      expect(JSON.parse(first).results[0].docs[0].ok).toMatchObject({ _id: person._id, _rev: rev, lastName: person.lastName });

      const feed = async () => (await fetch(`${base}/_changes?style=all_docs`, { headers: { cookie } })).text();
      const before = await feed();
      // Byte for byte on the embedded store; CouchDB may spell one position differently per request.
      if (server.storage.kind === 'couchdb')
        expect(withoutSeqs(JSON.parse(await feed()))).toEqual(withoutSeqs(JSON.parse(before)));
      else expect(await feed()).toBe(before);

      const changed = await fetch(`${base}/${person._id}?rev=${rev}`, {
        method: 'PUT',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ ...person, _rev: rev, lastName: 'ใหม่' })
      });
      expect(changed.status).toBe(201);
      const next = (await changed.json()) as { rev: string };
      // latest=true: the revision asked for has a newer one now, and that is what is served.
      const after = JSON.parse(await pull());
      expect(after.results[0].docs[0].ok).toMatchObject({ _rev: next.rev, lastName: 'ใหม่' });
      const feedAfter = JSON.parse(await feed());
      expect(feedAfter.results.find((row: { id: string }) => row.id === person._id).changes).toEqual([{ rev: next.rev }]);
    });
  });
});
