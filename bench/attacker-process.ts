/**
 * The attacker of bench step 8, in a process of its own (forked by steps/abuse.ts): its client
 * work — encoding and sending 18 MB bodies, opening hundreds of sockets — must not run on the
 * honest tablets' event loop, or the step would time the bench's own client instead of the
 * sync-server. Told `prepare {attack, url, tokens}` it builds that attack's bodies; told `start`
 * it loops the attack until told `stop`, then answers with the number of attempts and the CPU
 * time the attack took.
 */
import net from 'node:net';
import { asReplicatedRevision, benchCare01, benchPerson } from './data.ts';

export const ATTACK_UNIT = 'alpha-prison'; // seeded by the bench server (tests/helpers/server.ts)

/** Prepares an attack (its bodies built, as a real attacker has them ready) and returns its loop. */
type Attack = (url: string, tokens: { officer: string; supervisor: string }) => (stopped: () => boolean) => Promise<number>;

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

const post = (url: string, cookie: string, body: string | Uint8Array) =>
  fetch(url, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(120_000)
  }).then((r) => r.arrayBuffer());

export const ATTACKS: Record<string, Attack> = {
  zeros: (url, tokens) => {
    const body = Buffer.from(`{"docs":[${'0,'.repeat(9_000_000 - 1)}0]}`);
    return (stopped) =>
      loop(2, stopped, () => post(`${url}/sync/${ATTACK_UNIT}/_bulk_docs`, `care_session=${tokens.officer}`, body));
  },
  'bulk-get': (url, tokens) => {
    const body = Buffer.from(`{"docs":[${Array.from({ length: 1_000_000 }, (_, i) => `{"id":"p${i}"}`).join(',')}]}`);
    return (stopped) =>
      loop(2, stopped, () => post(`${url}/sync/${ATTACK_UNIT}/_bulk_get?revs=true`, `care_session=${tokens.supervisor}`, body));
  },
  'slow-bodies': (url) => (stopped) => {
    const { hostname, port } = new URL(url);
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
  'login-race': (url) => (stopped) =>
    loop(1, stopped, () =>
      Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          fetch(`${url}/api/session`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'officer.b', password: `wrong-${i}` }),
            signal: AbortSignal.timeout(120_000)
          }).then((r) => r.arrayBuffer())
        )
      )
    ),
  forged: (url, tokens) => (stopped) => {
    let n = 700_000;
    return loop(2, stopped, () => {
      const docs = Array.from({ length: 100 }, () => {
        const person = benchPerson(ATTACK_UNIT, n++, 'someone.else');
        return asReplicatedRevision({ ...benchCare01(person, n), interviewDate: '2099-01-01' });
      });
      return post(
        `${url}/sync/${ATTACK_UNIT}/_bulk_docs`,
        `care_session=${tokens.officer}`,
        JSON.stringify({ docs, new_edits: false })
      );
    });
  }
};

let stop = false;
let run: ((stopped: () => boolean) => Promise<number>) | null = null;
process.on(
  'message',
  async (message: {
    command: 'prepare' | 'start' | 'stop';
    attack?: string;
    url?: string;
    tokens?: { officer: string; supervisor: string };
  }) => {
    if (message.command === 'prepare') {
      const attack = ATTACKS[message.attack!];
      if (!attack) return process.send!({ error: `unknown attack ${message.attack}` });
      run = attack(message.url!, message.tokens!);
      return process.send!({ prepared: true });
    }
    if (message.command === 'stop') {
      stop = true;
      return;
    }
    if (!run) return process.send!({ error: 'prepare first' });
    process.send!({ started: true });
    const before = process.cpuUsage();
    const attempts = await run(() => stop);
    // The attack's own CPU time (start-up and preparation excluded), for step 8's details.
    const cpu = process.cpuUsage(before);
    process.send!({ attempts, cpuMs: (cpu.user + cpu.system) / 1000 }, () => process.exit(0));
  }
);
process.on('disconnect', () => process.exit(0));
