/**
 * The LevelDB binding under the embedded store's PouchDB databases (handed to PouchDB through its
 * `db` option): leveldown itself, except that the point reads asked for in one tick are answered
 * by one native `getMany` instead of one native call, thread-pool task and callback each.
 *
 * Why: PouchDB's bulkDocs reads every document's revision tree before writing it (one `get` per
 * document), and so do the screening reads of a pushed batch (embedded.ts allDocsByKey). A
 * leveldown `get` costs ~8 µs of the request thread (setting up and waking a thread-pool task,
 * then calling back), a key inside a `getMany` of 100 ~0.6 µs. Same answers: `getMany` reads
 * from one snapshot, which reads asked for in the same tick could not tell from separate ones.
 */
import { createRequire } from 'node:module';
import { inherits } from 'node:util';

type Key = string | Buffer;
type Callback = (err: Error | null, value?: unknown) => void;
interface ReadOptions {
  asBuffer?: boolean;
  fillCache?: boolean;
}

interface LevelDown {
  status: string;
  _get(key: Key, options: ReadOptions, callback: Callback): void;
  _getMany(keys: Key[], options: ReadOptions, callback: (err: Error | null, values?: unknown[]) => void): void;
  _close(callback: (err?: Error) => void): void;
}

interface LevelDownConstructor {
  (location: string): LevelDown;
  prototype: LevelDown;
  destroy(location: string, callback: (err?: Error) => void): void;
  repair(location: string, callback: (err?: Error) => void): void;
}

// leveldown is CommonJS with no type declarations; PouchDB's LevelDB adapter loads it the same way.
const leveldown = createRequire(import.meta.url)('leveldown') as LevelDownConstructor;

interface Waiting {
  options: ReadOptions;
  keys: Key[];
  callbacks: Callback[];
}

interface CoalescedLevelDown extends LevelDown {
  /** Reads asked for in this tick, by read options (one `getMany` per distinct options). */
  waitingGets: Map<string, Waiting> | null;
  flushGets(): void;
}

/** leveldown's own answer for a missing key: levelup turns it into PouchDB's NotFoundError. */
const notFound = () => new Error('NotFound: ');

function CoalescedLevelDOWN(this: CoalescedLevelDown, location: string) {
  (leveldown as unknown as (this: LevelDown, location: string) => void).call(this, location);
  this.waitingGets = null;
}
inherits(CoalescedLevelDOWN, leveldown as unknown as new (location: string) => LevelDown);

const proto = CoalescedLevelDOWN.prototype as CoalescedLevelDown;

proto._get = function (this: CoalescedLevelDown, key, options, callback) {
  // The binding's getMany drops empty keys from its list, which would shift every answer after them.
  if (key.length === 0) return leveldown.prototype._get.call(this, key, options, callback);
  if (this.waitingGets === null) {
    this.waitingGets = new Map();
    process.nextTick(() => this.flushGets());
  }
  const kind = `${options.asBuffer !== false} ${options.fillCache !== false}`;
  let waiting = this.waitingGets.get(kind);
  if (!waiting) this.waitingGets.set(kind, (waiting = { options, keys: [], callbacks: [] }));
  waiting.keys.push(key);
  waiting.callbacks.push(callback);
};

proto.flushGets = function (this: CoalescedLevelDown) {
  const groups = this.waitingGets;
  this.waitingGets = null;
  if (groups === null) return;
  for (const { options, keys, callbacks } of groups.values()) {
    // Closed under them (levelup refuses reads on a closed database before they get here).
    if (this.status === 'closed') {
      for (const callback of callbacks) process.nextTick(callback, new Error('Database is not open'));
      continue;
    }
    if (keys.length === 1) {
      leveldown.prototype._get.call(this, keys[0], options, callbacks[0]);
      continue;
    }
    this._getMany(keys, options, (err, values) => {
      callbacks.forEach((callback, i) => {
        if (err) callback(err);
        else if (values![i] === undefined) callback(notFound());
        else callback(null, values![i]);
      });
    });
  }
};

proto._close = function (this: CoalescedLevelDown, callback) {
  // Reads asked for before the close are started first: the binding's close waits for them.
  this.flushGets();
  leveldown.prototype._close.call(this, callback);
};

/** What PouchDB calls (`db(location)`, without `new`), with leveldown's static helpers. */
export function coalescedLeveldown(location: string): LevelDown {
  return new (CoalescedLevelDOWN as unknown as new (location: string) => LevelDown)(location);
}
coalescedLeveldown.destroy = leveldown.destroy;
coalescedLeveldown.repair = leveldown.repair;
