/**
 * Step 6: honest tablets while an attacker works (issue 9). N simulated tablets of one unit sync
 * round after round (the session of step 3: pull a backlog, push one interview, checkpoint); we
 * take their p95 once with nobody else on the server (the baseline, same run) and then once per
 * attack, each attack running in a loop for the whole phase, all on loopback:
 *
 * - zeros: an officer's 18 MB `_bulk_docs` of 9 million zeros (item 1), two at a time;
 * - bulk-get: a supervisor's `_bulk_get` of 1 million ids (item 6), two at a time;
 * - slow-bodies: 200 sockets drip-feeding `POST /api/session` (item 3), reopened when cut;
 * - login-race: 300 wrong passwords for one account sent at once, again and again (item 2);
 * - forged: batches of 100 documents with forged authors and dates (item 4).
 *
 * Goal: honest p95 under attack ≤ 2× the quiet p95, and the server still answering.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { asReplicatedRevision, benchCare01, benchPerson } from '../data.ts';
import { percentile, type Results } from '../report.ts';
import type { BenchServer } from '../server-control.ts';
import { tabletSession } from './load.ts';

const ATTACK_UNIT = 'alpha-prison'; // seeded by the bench server (tests/helpers/server.ts)

interface Setup {
  unitId: string;
  username: string;
  tablets: number;
  rounds: number;
  backlog: number;
}

type Attack = (server: BenchServer, tokens: { officer: string; supervisor: string }, stopped: () => boolean) => Promise<number>;

let sessionNumber = 900_000;

/** `tablets` tablets, each syncing `rounds` times one after the other; every session's latency. */
async function honestLoad(server: BenchServer, tokens: string[], setup: Setup): Promise<{ latencies: number[]; errors: number }> {
  const base = `${server.url}/sync/${setup.unitId}`;
  const info = await (await fetch(`${base}/`, { headers: { cookie: `care_session=${tokens[0]}` } })).json();
  const since = Math.max(0, Number(info.update_seq) - setup.backlog);
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    tokens.map(async (token, t) => {
      for (let r = 0; r < setup.rounds; r++) {
        const n = sessionNumber++;
        const t0 = performance.now();
        try {
          await tabletSession(
            base,
            `care_session=${token}`,
            `abuse-${t}`,
            since,
            benchCare01(benchPerson(setup.unitId, n, setup.username), n),
            new Map()
          );
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    })
  );
  return { latencies, errors };
}

/** Runs `once` back to back on `parallel` lanes until stopped; counts the attempts. */
async function loop(parallel: number, stopped: () => boolean, once: () => Promise<unknown>): Promise<number> {
  let attempts = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (!stopped()) {
        attempts++;
        await once().catch(() => undefined);
      }
    })
  );
  return attempts;
}

const post = (url: string, cookie: string, body: string) =>
  fetch(url, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(120_000)
  }).then((r) => r.arrayBuffer());

const ATTACKS: Record<string, Attack> = {
  zeros: (server, tokens, stopped) => {
    const body = `{"docs":[${'0,'.repeat(9_000_000 - 1)}0]}`;
    return loop(2, stopped, () => post(`${server.url}/sync/${ATTACK_UNIT}/_bulk_docs`, `care_session=${tokens.officer}`, body));
  },
  'bulk-get': (server, tokens, stopped) => {
    const body = `{"docs":[${Array.from({ length: 1_000_000 }, (_, i) => `{"id":"p${i}"}`).join(',')}]}`;
    return loop(2, stopped, () =>
      post(`${server.url}/sync/${ATTACK_UNIT}/_bulk_get?revs=true`, `care_session=${tokens.supervisor}`, body)
    );
  },
  'slow-bodies': (server, _tokens, stopped) => {
    const { hostname, port } = new URL(server.url);
    const drip = () =>
      new Promise<void>((resolve) => {
        const body = JSON.stringify({ username: 'officer.b', password: 'x'.repeat(60) });
        const socket = net.connect(Number(port), hostname, () => {
          socket.write(
            `POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`
          );
          let i = 0;
          const timer = setInterval(() => (stopped() || i >= body.length ? socket.destroy() : socket.write(body[i++])), 1_000);
          socket.on('close', () => clearInterval(timer));
        });
        socket.on('error', () => undefined);
        socket.on('close', () => resolve());
      });
    return loop(200, stopped, drip);
  },
  'login-race': (server, _tokens, stopped) =>
    loop(1, stopped, () =>
      Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          fetch(`${server.url}/api/session`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'officer.b', password: `wrong-${i}` }),
            signal: AbortSignal.timeout(120_000)
          }).then((r) => r.arrayBuffer())
        )
      )
    ),
  forged: (server, tokens, stopped) => {
    let n = 700_000;
    return loop(2, stopped, () => {
      const docs = Array.from({ length: 100 }, () => {
        const person = benchPerson(ATTACK_UNIT, n++, 'someone.else');
        return asReplicatedRevision({ ...benchCare01(person, n), interviewDate: '2099-01-01' });
      });
      return post(
        `${server.url}/sync/${ATTACK_UNIT}/_bulk_docs`,
        `care_session=${tokens.officer}`,
        JSON.stringify({ docs, new_edits: false })
      );
    });
  }
};

async function healthy(server: BenchServer): Promise<boolean> {
  try {
    return (await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(10_000) })).status === 200;
  } catch {
    return false;
  }
}

export async function abuseUnderLoad(server: BenchServer, results: Results, setup: Setup): Promise<void> {
  const tokens = await server.call<string[]>('sessions', { username: setup.username, count: setup.tablets });
  const [officer] = await server.call<string[]>('sessions', { username: 'officer.a', count: 1 });
  const [supervisor] = await server.call<string[]>('sessions', { username: 'supervisor', count: 1 });

  await honestLoad(server, tokens, { ...setup, rounds: 1 }); // warm-up, not measured
  const quiet = await honestLoad(server, tokens, setup);
  const quietP95 = percentile(quiet.latencies, 95);
  results.add({
    name: `8. ${setup.tablets} honest tablets × ${setup.rounds} syncs, quiet server, p95`,
    value: quietP95,
    unit: 'ms',
    note: `p50 ${Math.round(percentile(quiet.latencies, 50))} ms, ${quiet.errors} errors`
  });

  for (const [name, attack] of Object.entries(ATTACKS)) {
    let stop = false;
    const rssBefore = (await server.call<{ rss: number }>('usage')).rss;
    const attacking = attack(server, { officer, supervisor }, () => stop);
    const honest = await honestLoad(server, tokens, setup);
    stop = true;
    const attempts = await attacking;
    const alive = await healthy(server);
    const rssAfter = (await server.call<{ rss: number }>('usage')).rss;
    const p95 = percentile(honest.latencies, 95);
    results.add({
      name: `8. honest sync p95 during attack "${name}"`,
      value: p95,
      unit: 'ms',
      baseline: { name: 'same tablets, quiet server (this run)', value: quietP95 },
      note: `${attempts} attack requests, ${honest.errors} honest errors, server ${alive ? 'alive' : 'NOT ANSWERING'}, rss ${Math.round(rssBefore / 2 ** 20)}→${Math.round(rssAfter / 2 ** 20)} MiB`,
      details: { p50: percentile(honest.latencies, 50), attempts, honestErrors: honest.errors, alive, rssBefore, rssAfter }
    });
    if (!alive) throw new Error(`the server stopped answering during attack "${name}"`);
  }
}
