/**
 * scrypt in a helper process of its own, at a low OS priority. Run through node:crypto in the
 * server process, a password check takes a thread of libuv's pool (the one the embedded store's
 * disk reads and writes use), as much CPU as the event loop serving every tablet, and 32 MiB of
 * fresh memory whose page faults contend for the process's memory map with the event loop: on a
 * server with one core, a burst of sign-in attempts stalled everyone's sync for up to a second
 * at a time (bench step 8, login race). In its own process the hash shares nothing with the
 * server but the core, and at nice HASH_NICE the scheduler gives it only a small share of that
 * core while the event loop wants it (CFS weights: nice 10 ≈ 1/10 of nice 0) and all of it when
 * the core is free. A sign-in on a busy server waits a little longer; nobody's sync waits for it.
 *
 * The helper's code is a string run with `node -e`: no separate file to find, so it runs the
 * same from the sources, a bundle or a test. The server starts it with itself (app.ts), keeps it
 * while it runs (it holds the process open only while a check is pending), restarts it on the
 * next check if it died, and it exits when the server does (its IPC channel closes).
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** Nice value of the hashing process: 0 is the server's, 19 the lowest. */
export const HASH_NICE = 10;

const HELPER_SOURCE = `
const os = require('node:os');
const { scrypt } = require('node:crypto');
// On Linux a nice value belongs to a thread: every thread started so far (the event loop, V8's
// helpers) is lowered here; libuv's pool starts at the first hash and inherits it.
try {
  for (const tid of require('node:fs').readdirSync('/proc/self/task')) os.setPriority(Number(tid), ${HASH_NICE});
} catch {
  try { os.setPriority(${HASH_NICE}); } catch {}
}
process.on('disconnect', () => process.exit(0));
process.on('message', ({ id, password, salt, keyLength, options }) => {
  scrypt(password, Buffer.from(salt, 'base64'), keyLength, options, (err, key) => {
    if (!process.connected) return;
    process.send(err ? { id, error: err.message } : { id, key: key.toString('base64') });
  });
});
process.send({ ready: true });
`;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  maxmem: number;
}

interface Pending {
  resolve: (key: Uint8Array) => void;
  reject: (e: Error) => void;
}

export class HashProcess {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /**
   * Starts the helper now rather than at the first sign-in: its start-up (a Node process, a few
   * hundred ms of CPU) then happens while the server starts, not in the middle of its work.
   */
  start(): void {
    this.running();
  }

  /** The helper's pid once it runs, starting it if needed (tests pin it and read its priority). */
  async pid(): Promise<number> {
    const child = this.running();
    await this.ready;
    return child.pid!;
  }

  scrypt(password: string, salt: Uint8Array, keyLength: number, options: ScryptParams): Promise<Uint8Array> {
    const child = this.running();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.hold(child, true);
      this.pending.set(id, { resolve, reject });
      child.send({ id, password, salt: Buffer.from(salt).toString('base64'), keyLength, options });
    });
  }

  private running(): ChildProcess {
    if (this.child) return this.child;
    const child = spawn(process.execPath, ['-e', HELPER_SOURCE], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.child = child;
    let started = () => undefined as void;
    this.ready = new Promise<void>((resolve) => (started = resolve));
    child.on('message', (m: { ready?: boolean; id?: number; key?: string; error?: string }) => {
      if (m.ready) return started();
      const waiter = this.pending.get(m.id!);
      this.pending.delete(m.id!);
      if (this.pending.size === 0) this.hold(child, false);
      if (m.key !== undefined) waiter?.resolve(Uint8Array.from(Buffer.from(m.key, 'base64')));
      else waiter?.reject(new Error(`scrypt failed: ${m.error}`));
    });
    const gone = (e: Error) => {
      if (this.child !== child) return;
      this.child = null; // the next check starts a new helper
      started();
      for (const waiter of this.pending.values()) waiter.reject(e);
      this.pending.clear();
    };
    child.on('error', gone);
    child.on('exit', (code, signal) => gone(new Error(`hashing process exited (${code ?? signal})`)));
    this.hold(child, false);
    return child;
  }

  /** Keeps the server process alive while a check is pending, and only then. */
  private hold(child: ChildProcess, busy: boolean): void {
    const channel = child.channel as { ref(): void; unref(): void } | undefined | null;
    if (busy) {
      child.ref();
      channel?.ref();
    } else {
      child.unref();
      channel?.unref();
    }
  }
}
