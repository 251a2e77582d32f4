/**
 * CouchDB-compatible replication endpoints, one database per unit at /sync/<unitId>/.
 * Exactly what PouchDB 9's http adapter and replicator call (pouchdb-node lib/index.js:
 * HttpPouch, replicate, Checkpointer):
 *
 *   GET  /sync/                      server root: uuid for replication ids (no auth, like CouchDB)
 *   GET  /sync/U/                    database info; PUT answers 412 (exists) — never created here
 *   GET|PUT|DELETE /sync/U/_local/X  replication checkpoints
 *   POST /sync/U/_revs_diff          which revisions the server lacks (push)
 *   POST /sync/U/_bulk_docs          writes, every document screened by checkDoc (push)
 *   POST /sync/U/_bulk_get           documents with their revision history (pull)
 *   GET|POST /sync/U/_changes        normal and longpoll feeds, _doc_ids filter (pull, live)
 *   GET  /sync/U/<docid>             one document, rev / revs / open_revs / latest
 *   PUT  /sync/U/<docid>             one document (remote db.put), same screening as _bulk_docs
 *
 * Every /sync/U/ request is authenticated (session cookie or Basic) and checked against the
 * account's unit list before anything else, so a unit that is not yours answers 403 on every
 * endpoint whether it exists or not. No WWW-Authenticate header on 401: in a browser it would
 * pop up the native password dialog over the app.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateRequest, sendAuthFailure } from '../auth/authenticate.ts';
import { beginWrite, completeWrite, failWrite, type DocRef } from '../audit.ts';
import { KeyedConcurrency, type ConcurrencyLimits } from '../concurrency.ts';
import { LIMITS } from '../config.ts';
import type { ServerContext } from '../context.ts';
import { compressedOnce } from '../compression.ts';
import { closeAfterAnswer, sendCouchError } from '../errors.ts';
import type { BulkDocsRow, ChangesOptions, DocumentStore, GetOptions, LocalDoc } from '../storage/port.ts';
import { screenBatch, withDocs, type Refusal, type Screened } from '../sync/screen-docs.ts';
import {
  bodyTextOf,
  ScreenCheckThrew,
  ScreenPool,
  ScreenQueueFull,
  ScreenWorkerFailed,
  screenWorkerEntry
} from '../sync/screen-pool.ts';
import { VERSION_POLICY } from '../../src/lib/domain/schema-versions.ts';
import { storeScreened } from '../sync/write-rules.ts';
import { carryOutAfterPush, handoverRequestIds } from '../handover/carry-out.ts';
import { afterStoreWrite } from '../test-faults.ts';
import { serialisedFor } from '../sync/followup-stamps.ts';
import { BodyBudget } from '../sync/body-budget.ts';
import { RefusalBudget } from '../sync/refusal-budget.ts';
import { upgradeBulkGet, upgradeChanges, upgradeGet } from '../sync/upgrade-on-read.ts';
import { bulkGetJson, changesJson } from '../sync/answer-json.ts';
import { deleteOwnLocal, getOwnLocal, LOCAL_ID, putOwnLocal } from '../sync/local-docs.ts';
import { personIndexFor } from '../sync/person-index.ts';
import {
  canSee,
  volunteerBulkGet,
  volunteerChanges,
  volunteerInfo,
  volunteerRevsDiff,
  volunteerScope,
  type VolunteerScope
} from '../sync/volunteer-scope.ts';
import { unitDatabaseName } from '../system-db.ts';
import { recordPull } from '../read-audit.ts';
import { accessToUnit } from '../scope.ts';
import type { UserDoc } from '../users.ts';

interface UnitRequest {
  user: UserDoc;
  unitId: string;
  access: 'read' | 'write' | 'assigned';
  db: DocumentStore;
  /** Volunteers ('assigned'): the people they may see and write for (sync/volunteer-scope.ts). */
  volunteer: VolunteerScope | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    unit: UnitRequest | null;
  }
}

type Query = Record<string, string | undefined>;

const NO_ACCESS = 'ไม่มีสิทธิ์เข้าถึงข้อมูลของหน่วยงานนี้ / You do not have access to this unit.';
const ACCOUNT_BUSY = 'บัญชีนี้ส่งคำขอพร้อมกันมากเกินไป กรุณาลองใหม่ / This account has too many requests in progress: try again shortly.';
const BUSY_RETRY_SECONDS = 2;
const READ_ONLY = 'บัญชีนี้อ่านข้อมูลได้อย่างเดียว / This account has read-only access to this unit.';

/** 413 naming the bound, so the client's batch-halving (src/lib/client/batch-size.ts) kicks in. */
function tooMany(reply: FastifyReply, what: { th: string; en: string }, limit: number) {
  return sendCouchError(reply, 413, 'too_large', `ส่ง${what.th}ได้ไม่เกิน ${limit} ต่อคำขอ / at most ${limit} ${what.en} per request`);
}
const DOCS = { th: 'เอกสาร', en: 'documents' };
const IDS = { th: 'รหัสเอกสาร', en: 'document ids' };
const REVS = { th: 'รุ่นของเอกสาร', en: 'revisions' };

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** CouchDB query booleans: "true" / "false"; anything else means "not given". */
function queryBool(value: string | undefined): boolean | undefined {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

function queryCount(value: string | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) return null;
  return Number(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A browser opening `/sync` itself as a page (not `/sync/`, not a replication client asking for JSON). */
function isPageRequest(request: FastifyRequest): boolean {
  if (request.url.split('?')[0] !== '/sync') return false;
  if (request.headers['sec-fetch-mode'] === 'navigate') return true;
  return String(request.headers.accept ?? '').includes('text/html');
}

/**
 * An answer already serialised (sync/answer-json.ts): sent as it is, not through JSON.stringify
 * again, and compressed once for every tablet that receives the same bytes (compression.ts).
 */
const sendJson = (reply: FastifyReply, json: Buffer) =>
  reply.type('application/json; charset=utf-8').send(compressedOnce(reply.request, reply, json));

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

const unitOf = (request: FastifyRequest): UnitRequest => request.unit!;

/** The writes whose documents are screened: `_bulk_docs` and PUT of a document (not `_local`). */
const isScreenedWrite = (request: FastifyRequest): boolean =>
  (request.method === 'POST' && request.routeOptions.url === '/sync/:unit/_bulk_docs') ||
  (request.method === 'PUT' && request.routeOptions.url === '/sync/:unit/:docid');

/**
 * Batches this small are screened on the request thread: a worker would parse the body a second
 * time and answer through two messages, more work than checking one document (the tablet's push
 * of the interview it just recorded, bench step 3).
 */
const SCREEN_ON_REQUEST_THREAD_MAX = 1;

const SCREENING_BUSY = 'เซิร์ฟเวอร์กำลังตรวจเอกสารจำนวนมาก กรุณาลองใหม่ / The server is checking many documents: try again shortly.';
const SCREENING_FAILED =
  'การตรวจเอกสารล้มเหลว ไม่ได้บันทึกเอกสารใดจากคำขอนี้ กรุณาส่งใหม่ / Checking the documents failed: nothing from this request was stored; send it again.';

const tooManyRefused = (seconds: number) =>
  `เอกสารที่ส่งถูกปฏิเสธมากเกินไปในเวลาสั้น ๆ ลองใหม่ในอีก ${seconds} วินาที / too many documents refused in a short time: try again in ${seconds} s`;

export async function syncRoutes(
  app: FastifyInstance,
  {
    ctx,
    perAccount: perAccountLimits,
    screenWorkers = 0
  }: { ctx: ServerContext; perAccount: ConcurrencyLimits; screenWorkers?: number }
) {
  app.decorateRequest('unit', null);
  // Workers check with the build's schema versions only (a policy's upgrade steps are functions).
  const screening =
    screenWorkers > 0 && ctx.versions === VERSION_POLICY && screenWorkerEntry()
      ? new ScreenPool(screenWorkers, LIMITS.screenQueued)
      : null;
  if (screening) app.addHook('onClose', () => screening.close());
  const bodyBudget = new BodyBudget();
  const refusalBudget = new RefusalBudget();
  const perAccount = new KeyedConcurrency(perAccountLimits);

  /** Longpoll requests in flight, ended at shutdown so close() does not wait 25 s for them. */
  const waiting = new Set<AbortController>();
  /** Set at shutdown: a longpoll that gets past authentication after that answers at once. */
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    for (const controller of waiting) controller.abort();
  });

  // `/sync` is also the app's sync centre: a browser opening or reloading that page with no
  // service worker in control yet (a first visit, a worker still installing) gets the app, not
  // the replication API's welcome. Replication clients use `/sync/` and ask for JSON.
  app.get('/sync', async (request, reply) => {
    if (isPageRequest(request) && typeof reply.sendFile === 'function') {
      reply.header('Cache-Control', 'no-cache');
      return reply.sendFile('index.html');
    }
    return { couchdb: 'Welcome', uuid: ctx.serverUuid, vendor: { name: 'care-field' } };
  });

  await app.register(async (unit) => {
    unit.addHook('onRequest', async (request, reply) => {
      const unitId = (request.params as { unit: string }).unit;
      const auth = await authenticateRequest(ctx, request);
      if (!auth.ok) return sendAuthFailure(reply, auth, 'couch');
      const access = await accessToUnit(ctx, auth.user, unitId);
      if (access === 'none') return sendCouchError(reply, 403, 'forbidden', NO_ACCESS);
      // An account whose writes were refused by the thousand waits before its next body is
      // screened (sync/refusal-budget.ts); the connection ends, the body is never parsed.
      if (isScreenedWrite(request)) {
        const waitSeconds = refusalBudget.wait(auth.user.username);
        if (waitSeconds > 0) {
          reply.header('Retry-After', String(waitSeconds));
          closeAfterAnswer(request, reply);
          return sendCouchError(reply, 429, 'too_many_requests', tooManyRefused(waitSeconds));
        }
      }
      // A turn among the account's requests (concurrency.ts), before the body is read. A
      // longpoll mostly waits for a change: it is not counted, or a few would block the rest.
      if ((request.query as Query).feed !== 'longpoll') {
        if (!(await perAccount.takeTurn(auth.user.username, reply))) {
          reply.header('Retry-After', String(BUSY_RETRY_SECONDS));
          closeAfterAnswer(request, reply);
          return sendCouchError(reply, 503, 'service_unavailable', ACCOUNT_BUSY);
        }
      }
      // Paid before the body is read (sync/body-budget.ts); a body without a length pays the limit.
      if (request.method === 'POST' || request.method === 'PUT') {
        const declared = request.headers['content-length'];
        const bytes = declared !== undefined ? Number(declared) || 0 : LIMITS.syncBodyBytes;
        const waitSeconds = bodyBudget.take(auth.user.username, bytes);
        if (waitSeconds > 0) {
          // The connection ends with the answer: the unread body is neither parsed nor received.
          reply.header('Retry-After', String(waitSeconds));
          closeAfterAnswer(request, reply);
          return sendCouchError(
            reply,
            429,
            'too_many_requests',
            `ส่งข้อมูลมากเกินไปในเวลาสั้น ๆ ลองใหม่ในอีก ${waitSeconds} วินาที / too much data sent too fast: try again in ${waitSeconds} s`
          );
        }
      }
      // No separate read of the unit's document: scope reaches only units of the stored tree
      // (src/lib/domain/access.ts unitsReached), and units are closed, never deleted, so a unit
      // in scope exists (one store round trip less per request: on CouchDB, a third of the
      // reads before a request's own work).
      const db = ctx.storage.openDatabase(unitDatabaseName(unitId));
      const volunteer = access === 'assigned' ? await volunteerScope(personIndexFor(ctx.storage, db), auth.user.username) : null;
      request.unit = { user: auth.user, unitId, access, db, volunteer };
    });

    // --- the database itself -------------------------------------------------------------
    // The client knows the database by its URL name (the unit id), not by the storage name.
    unit.get('/sync/:unit', async (request) => {
      const u = unitOf(request);
      // A volunteer's counts are of their own people only (volunteer-scope.ts).
      const info = u.volunteer ? await volunteerInfo(u.db, u.volunteer) : await u.db.info();
      return { ...info, db_name: u.unitId };
    });
    // PouchDB's setup() PUTs the database when GET answers 404 and accepts 412 as "exists".
    unit.put('/sync/:unit', async (_request, reply) =>
      sendCouchError(reply, 412, 'file_exists', 'The database could not be created, the file already exists.')
    );
    unit.delete('/sync/:unit', async (_request, reply) =>
      sendCouchError(reply, 403, 'forbidden', 'unit databases are never deleted')
    );
    unit.post('/sync/:unit', async (_request, reply) =>
      sendCouchError(reply, 405, 'method_not_allowed', 'write documents with PUT or _bulk_docs')
    );

    // --- _local: replication checkpoints, allowed to read-only accounts ------------------
    // Private to the account (sync/local-docs.ts): another account's id answers as missing.
    unit.get('/sync/:unit/_local/:id', async (request) => {
      const u = unitOf(request);
      return getOwnLocal(u.db, u.user.username, (request.params as { id: string }).id);
    });

    unit.put('/sync/:unit/_local/:id', { bodyLimit: LIMITS.localDocBytes }, async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!LOCAL_ID.test(id))
        return sendCouchError(reply, 400, 'bad_request', `_local ids are replication checkpoint ids (${LOCAL_ID.source})`);
      if (!isPlainObject(request.body)) return sendCouchError(reply, 400, 'bad_request', 'Document must be a JSON object');
      const rev = (request.query as Query).rev;
      const doc: LocalDoc = { ...request.body, _id: `_local/${id}` };
      if (rev !== undefined && doc._rev === undefined) doc._rev = rev;
      const u = unitOf(request);
      const result = await putOwnLocal(u.db, u.user.username, id, doc, u.access !== 'write');
      return reply.code(201).send(result);
    });

    unit.delete('/sync/:unit/_local/:id', async (request, reply) => {
      const { id } = request.params as { id: string };
      const rev = (request.query as Query).rev ?? request.headers['if-match']?.replaceAll('"', '');
      if (!rev) return sendCouchError(reply, 409, 'conflict', 'Document update conflict.');
      const u = unitOf(request);
      return deleteOwnLocal(u.db, u.user.username, id, rev);
    });

    // --- push: _revs_diff, _bulk_docs, PUT doc --------------------------------------------
    unit.post('/sync/:unit/_revs_diff', { bodyLimit: LIMITS.idListBodyBytes }, async (request, reply) => {
      const body = request.body;
      if (!isPlainObject(body)) return sendCouchError(reply, 400, 'bad_request', 'expected {"docid": ["rev", ...]}');
      const lists = Object.values(body);
      if (lists.length > LIMITS.idsPerRequest) return tooMany(reply, IDS, LIMITS.idsPerRequest);
      if (!lists.every(isStringArray)) return sendCouchError(reply, 400, 'bad_request', 'expected {"docid": ["rev", ...]}');
      if (lists.reduce((n, revs) => n + revs.length, 0) > LIMITS.revsPerRequest)
        return tooMany(reply, REVS, LIMITS.revsPerRequest);
      const u = unitOf(request);
      if (u.volunteer) return volunteerRevsDiff(u.db, u.volunteer, body as Record<string, string[]>);
      return u.db.revsDiff(body as Record<string, string[]>);
    });

    unit.post('/sync/:unit/_bulk_docs', { bodyLimit: LIMITS.syncBodyBytes }, async (request, reply) => {
      const receivedAt = new Date();
      const u = unitOf(request);
      // Checked before the body: a read-only account gets 403 for the whole request.
      if (u.access === 'read') return sendCouchError(reply, 403, 'forbidden', READ_ONLY);
      const body = request.body;
      if (!isPlainObject(body) || !Array.isArray(body.docs))
        return sendCouchError(reply, 400, 'bad_request', 'POST body must contain `docs` field');
      if (body.docs.length > LIMITS.docsPerBulk) return tooMany(reply, DOCS, LIMITS.docsPerBulk);
      if (body.new_edits !== undefined && typeof body.new_edits !== 'boolean')
        return sendCouchError(reply, 400, 'bad_request', '`new_edits` parameter must be a boolean');
      const newEdits = body.new_edits !== false;
      let checked: Screened | undefined;
      const text = bodyTextOf(request);
      if (screening && text !== undefined && body.docs.length > SCREEN_ON_REQUEST_THREAD_MAX) {
        try {
          checked = withDocs(await screening.screen(text, u.unitId, newEdits), body.docs);
        } catch (e) {
          if (e instanceof ScreenQueueFull) {
            reply.header('Retry-After', String(BUSY_RETRY_SECONDS));
            return sendCouchError(reply, 503, 'service_unavailable', SCREENING_BUSY);
          }
          // The worker ended while checking this batch: nothing was written or audited yet.
          if (e instanceof ScreenWorkerFailed) {
            request.log.error({ unit: u.unitId, docs: body.docs.length }, 'screening worker ended during a batch');
            return sendCouchError(reply, 500, 'screening_failed', SCREENING_FAILED);
          }
          // The check threw in the worker: checked here instead, so it answers exactly as without workers.
          if (!(e instanceof ScreenCheckThrew)) throw e;
        }
      }
      const { rows, screeningRefused } = await writeScreened(ctx, u, body.docs, newEdits, '_bulk_docs', receivedAt, checked);
      refusalBudget.charge(u.user.username, screeningRefused);
      // Hand-overs recorded offline are carried out as they arrive, and earlier failed ones retried (handover/carry-out.ts).
      // The documents are stored whatever happens here: a failure leaves the request waiting (logged by id only).
      await carryOutAfterPush(ctx, u.unitId, u.db, u.user, body.docs as unknown[]).catch((e: Error) =>
        request.log.error(
          { ids: handoverRequestIds(body.docs as unknown[]), err: e.message },
          'hand-over request not carried out'
        )
      );
      return reply.code(201).send(rows);
    });

    unit.put('/sync/:unit/:docid', { bodyLimit: LIMITS.syncBodyBytes }, async (request, reply) => {
      const receivedAt = new Date();
      const u = unitOf(request);
      if (u.access === 'read') return sendCouchError(reply, 403, 'forbidden', READ_ONLY);
      const { docid } = request.params as { docid: string };
      const body = request.body;
      if (!isPlainObject(body)) return sendCouchError(reply, 400, 'bad_request', 'Document must be a JSON object');
      if (body._id !== undefined && body._id !== docid)
        return sendCouchError(reply, 400, 'bad_request', 'Document id must match the URL');
      const rev = (request.query as Query).rev;
      const doc = { ...body, _id: docid, ...(rev !== undefined && body._rev === undefined ? { _rev: rev } : {}) };
      const written = await writeScreened(ctx, u, [doc], true, 'put', receivedAt);
      const [row] = written.rows;
      refusalBudget.charge(u.user.username, written.screeningRefused);
      if ('ok' in row)
        await carryOutAfterPush(ctx, u.unitId, u.db, u.user, [doc]).catch((e: Error) =>
          request.log.error({ ids: handoverRequestIds([doc]), err: e.message }, 'hand-over request not carried out')
        );
      if ('ok' in row) return reply.code(201).send(row);
      return sendCouchError(reply, row.error === 'conflict' ? 409 : 403, row.error, row.reason);
    });

    unit.delete('/sync/:unit/:docid', async (_request, reply) =>
      sendCouchError(reply, 403, 'forbidden', 'ระเบียนลบไม่ได้ / records cannot be deleted')
    );

    // --- pull: _changes, _bulk_get, GET doc -----------------------------------------------
    const changes = async (request: FastifyRequest, reply: FastifyReply) => {
      const q = request.query as Query;
      const feed = q.feed ?? 'normal';
      if (feed !== 'normal' && feed !== 'longpoll')
        return sendCouchError(reply, 400, 'bad_request', 'only the normal and longpoll feeds are supported');
      let docIds: string[] | undefined;
      if (q.filter === '_doc_ids') {
        const body = request.body;
        const given =
          isPlainObject(body) && body.doc_ids !== undefined
            ? body.doc_ids
            : q.doc_ids !== undefined
              ? parseJson(q.doc_ids)
              : undefined;
        if (Array.isArray(given) && given.length > LIMITS.idsPerRequest) return tooMany(reply, IDS, LIMITS.idsPerRequest);
        if (!isStringArray(given))
          return sendCouchError(reply, 400, 'bad_request', '`doc_ids` filter parameter is not a list of doc ids.');
        docIds = given;
      } else if (q.filter !== undefined) {
        return sendCouchError(reply, 400, 'bad_request', 'only the _doc_ids filter is supported');
      }
      const limit = queryCount(q.limit);
      const timeout = queryCount(q.timeout);
      if (limit === null || timeout === null) return sendCouchError(reply, 400, 'bad_request', 'limit and timeout are counts');
      // heartbeat is accepted and not needed: a longpoll answers within longpollMaxMs anyway.
      const opts: ChangesOptions = {
        since: q.since, // opaque: handed to the store as it came
        limit,
        style: q.style === 'all_docs' ? 'all_docs' : 'main_only',
        include_docs: queryBool(q.include_docs) === true,
        doc_ids: docIds,
        seq_interval: queryCount(q.seq_interval) ?? undefined,
        feed
      };
      if (feed === 'longpoll') {
        const controller = new AbortController();
        // The response's 'close' fires when the client goes away (or once we have answered).
        // The request's own 'close' is no use here: Node emits it as soon as the body is read.
        reply.raw.on('close', () => controller.abort());
        waiting.add(controller);
        if (closing) controller.abort();
        try {
          const u = unitOf(request);
          if (u.volunteer)
            return sendJson(
              reply,
              changesJson(
                upgradeChanges(
                  await volunteerChanges(u.db, u.volunteer, {
                    ...opts,
                    timeoutMs: Math.min(ctx.longpollMaxMs, timeout ?? Infinity),
                    signal: controller.signal,
                    rescope: () => volunteerScope(personIndexFor(ctx.storage, u.db), u.user.username)
                  }),
                  ctx.versions
                )
              )
            );
          const changed = await unitOf(request).db.changes({
            ...opts,
            timeoutMs: Math.min(ctx.longpollMaxMs, timeout ?? Infinity),
            signal: controller.signal
          });
          return sendJson(reply, changesJson(upgradeChanges(changed, ctx.versions)));
        } finally {
          waiting.delete(controller);
        }
      }
      const u = unitOf(request);
      const changed = u.volunteer
        ? await volunteerChanges(u.db, u.volunteer, { ...opts, rescope: async () => u.volunteer! })
        : await u.db.changes(opts);
      return sendJson(reply, changesJson(upgradeChanges(changed, ctx.versions)));
    };
    unit.get('/sync/:unit/_changes', changes);
    unit.post('/sync/:unit/_changes', { bodyLimit: LIMITS.idListBodyBytes }, changes);

    unit.post('/sync/:unit/_bulk_get', { bodyLimit: LIMITS.idListBodyBytes }, async (request, reply) => {
      const body = request.body;
      if (isPlainObject(body) && Array.isArray(body.docs) && body.docs.length > LIMITS.idsPerRequest)
        return tooMany(reply, IDS, LIMITS.idsPerRequest);
      const docsOk =
        isPlainObject(body) &&
        Array.isArray(body.docs) &&
        body.docs.every(
          (d) => isPlainObject(d) && typeof d.id === 'string' && (d.rev === undefined || typeof d.rev === 'string')
        );
      if (!docsOk) return sendCouchError(reply, 400, 'bad_request', 'expected {"docs": [{"id", "rev"?}, ...]}');
      const q = request.query as Query;
      const u = unitOf(request);
      const bulkGetOpts = { revs: queryBool(q.revs), latest: queryBool(q.latest), attachments: queryBool(q.attachments) };
      const wanted = body as { docs: Array<{ id: string; rev?: string }> };
      await recordPull(
        ctx,
        { username: u.user.username, unitId: u.unitId, ip: request.ip },
        '_bulk_get',
        wanted.docs.map((d) => d.id)
      );
      const found = u.volunteer
        ? await volunteerBulkGet(u.db, u.volunteer, wanted, bulkGetOpts)
        : await u.db.bulkGet(wanted, bulkGetOpts);
      return sendJson(reply, bulkGetJson(upgradeBulkGet(found, ctx.versions)));
    });

    unit.get('/sync/:unit/:docid', async (request, reply) => {
      const { docid } = request.params as { docid: string };
      // _all_docs, _security, _design_docs, _find…: not offered.
      if (docid.startsWith('_')) return sendCouchError(reply, 404, 'not_found', 'missing');
      // Outside a volunteer's people: answered exactly as a document that does not exist.
      const volunteer = unitOf(request).volunteer;
      if (volunteer && !canSee(volunteer, docid)) return sendCouchError(reply, 404, 'not_found', 'missing');
      await recordPull(ctx, { username: unitOf(request).user.username, unitId: unitOf(request).unitId, ip: request.ip }, 'get', [
        docid
      ]);
      const q = request.query as Query;
      const opts: GetOptions = {};
      if (q.rev !== undefined) opts.rev = q.rev;
      if (queryBool(q.revs)) opts.revs = true;
      if (queryBool(q.latest)) opts.latest = true;
      if (q.open_revs !== undefined) {
        const openRevs = q.open_revs === 'all' ? 'all' : parseJson(q.open_revs);
        if (openRevs !== 'all' && !isStringArray(openRevs)) return sendCouchError(reply, 400, 'bad_request', 'invalid open_revs');
        opts.open_revs = openRevs;
      }
      return upgradeGet(await unitOf(request).db.get(docid, opts), ctx.versions);
    });

    // Anything else under a unit (after the access check above): not offered.
    unit.all('/sync/:unit/*', async (_request, reply) => sendCouchError(reply, 404, 'not_found', 'missing'));
  });
}

/**
 * Screens a batch, stores what passes, audits, and answers per document in CouchDB's order
 * and shape. With new_edits=false the store answers only for failures (as CouchDB does).
 * The audit's intent (ids and revisions about to be written) is stored before the write and
 * completed after it (audit.ts), so no accepted write can lack its entry.
 */
async function writeScreened(
  ctx: ServerContext,
  u: UnitRequest,
  docs: unknown[],
  newEdits: boolean,
  endpoint: '_bulk_docs' | 'put',
  receivedAt: Date,
  checked?: Screened
): Promise<{ rows: BulkDocsRow[]; screeningRefused: number }> {
  // Screening reads stored records (stamps, revision trees): check and write queued per
  // document id; write-rules.ts repairs what another instance interleaved. The audit's intent
  // is stored before the write, so no accepted write can lack an entry (audit.ts).
  const ids = docs.flatMap((d) =>
    d !== null && typeof d === 'object' && typeof (d as { _id?: unknown })._id === 'string' ? [(d as { _id: string })._id] : []
  );
  const { accepted, refused, stored, deletions, givenUp, audit } = await serialisedFor(ctx, u.db.name, ids, async () => {
    const screened = await screenBatch(docs, {
      db: u.db,
      unitId: u.unitId,
      newEdits,
      volunteer: u.volunteer,
      writer: u.user,
      username: u.user.username,
      now: receivedAt,
      versions: ctx.versions,
      checked
    });
    const writing: DocRef[] = [
      ...screened.accepted.map((a) => ({ id: a.doc._id, ...(typeof a.doc._rev === 'string' ? { rev: a.doc._rev } : {}) })),
      ...screened.tombstones.map((t) => ({ id: t.id, rev: t.rev }))
    ];
    const intent = {
      username: u.user.username,
      unitId: u.unitId,
      endpoint,
      newEdits,
      receivedAt,
      writing,
      refused: screened.refused
    };
    const audit = await beginWrite(ctx.audit, intent);
    try {
      const written = await storeScreened(u.db, screened, newEdits, ctx.storage.kind === 'couchdb');
      afterStoreWrite();
      return { ...screened, ...written, audit };
    } catch (e) {
      await failWrite(ctx.audit, audit).catch(() => undefined);
      throw e;
    }
  });
  // Counted before the conflict and store refusals join the list: only screening's count
  // against the account's refusal budget (an honest tablet meets conflicts now and then).
  const screeningRefused = refused.length;
  const positional = stored.length === accepted.length;
  const rows = new Map<number, BulkDocsRow>();
  for (const r of refused) rows.set(r.index, refusalRow(r));
  if (positional) accepted.forEach((a, i) => rows.set(a.index, stored[i]));
  for (const d of [...givenUp, ...deletions.refused]) {
    refused.push(d);
    rows.set(d.index, refusalRow(d));
  }
  const ordered = [...rows.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
  const storeFailures = stored.filter((row) => 'error' in row);
  if (!positional) ordered.push(...storeFailures);

  const givenUpRefs = new Set(givenUp.map((g) => `${g.id} ${g.rev ?? ''}`));
  await completeWrite(ctx.audit, audit, {
    stored: storedRefs(accepted, stored, positional, deletions.storedRefs).filter(
      (r) => !givenUpRefs.has(`${r.id} ${r.rev ?? ''}`)
    ),
    refused: [
      ...refused,
      ...storeFailures.map((f) => ({ id: f.id, rev: f.rev, reason: 'reason' in f ? f.reason : 'not stored' }))
    ]
  });
  return { rows: ordered, screeningRefused };
}

/** The documents that were stored, with the revision each now has on the server. */
function storedRefs(accepted: Screened['accepted'], rows: BulkDocsRow[], positional: boolean, deletions: DocRef[]): DocRef[] {
  if (positional) {
    const written = rows.flatMap((row) => ('ok' in row ? [{ id: row.id, rev: row.rev }] : []));
    return [...written, ...deletions];
  }
  // new_edits=false: the store answers only failures; every other document is stored as sent.
  const failed = new Set(rows.map((row) => `${row.id} ${row.rev ?? ''}`));
  const written = accepted
    .map((a) => ({ id: a.doc._id, rev: typeof a.doc._rev === 'string' ? a.doc._rev : undefined }))
    .filter((r) => !failed.has(`${r.id} ${r.rev ?? ''}`));
  return [...written, ...deletions];
}

function refusalRow(r: Refusal): BulkDocsRow {
  // `code` and `field` (refusal-codes.ts) let the tablet word the refusal in its user's language
  // and take them to the field; PouchDB passes extra members of a row through untouched.
  return {
    id: r.id,
    ...(r.rev !== undefined ? { rev: r.rev } : {}),
    error: 'forbidden',
    reason: r.reason,
    ...(r.code !== undefined ? { code: r.code, field: r.field ?? '' } : {})
  };
}
