/**
 * A bounded cache of document reads for the embedded store, where every write of a database
 * goes through one object in this process (LevelDB allows one process), so a write can drop
 * exactly the entries of the ids it wrote. Profiling 500 tablets syncing at once showed most of
 * the server's time in LevelDB reads of the same few documents: every tablet of a unit pulls the
 * same recent revisions (`_bulk_get`) and every request reads the same session, account and
 * unit documents.
 *
 * A read that was running while its id was written must not fill the cache with what it read
 * (it may be the old version): `begin()` takes a ticket before the read and `set` refuses it if
 * the id was written since. Reads still running are shared too (`pending` / `share`): hundreds of
 * tablets asking for the same revisions in the same instant all miss the cache, so without this
 * each read them from LevelDB; a write of the id ends the sharing, so a request made after a
 * write never joins a read begun before it. Cached values are deep-frozen and shared between requests, so a
 * caller that tried to modify one would fail loudly instead of changing what others read.
 *
 * On the CouchDB store other instances write without telling this process: there it is kept
 * true by following the database's changes feed (couch-followed-cache.ts).
 */

/** Entries kept per database (documents of a few kB: ~10 MB at most). */
const MAX_ENTRIES = 2_000;
/** Ids whose last write is remembered; past this the cache starts over (safe, just colder). */
const MAX_WRITTEN_IDS = 50_000;

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export class ReadCache<V> {
  /** id → (variant → value); Map order is insertion order, so the first id is the oldest. */
  private readonly entries = new Map<string, Map<string, V>>();
  private size = 0;
  private writes = 0;
  /** id → the write counter when it was last written. */
  private readonly lastWrite = new Map<string, number>();
  /** Reads that began before this counter are never stored (the write memory was reset). */
  private floor = 0;
  /** id → (variant → a read of it in progress, begun after the id's last write). */
  private readonly inFlight = new Map<string, Map<string, Promise<V>>>();

  /** A ticket for a read about to start. */
  begin(): number {
    return this.writes;
  }

  get(id: string, variant: string): V | undefined {
    return this.entries.get(id)?.get(variant);
  }

  set(id: string, variant: string, value: V, ticket: number): void {
    if (ticket < this.floor || (this.lastWrite.get(id) ?? -1) >= ticket) return;
    let variants = this.entries.get(id);
    if (!variants) this.entries.set(id, (variants = new Map()));
    if (!variants.has(variant)) this.size++;
    variants.set(variant, deepFreeze(value));
    while (this.size > MAX_ENTRIES) {
      const [oldest, dropped] = this.entries.entries().next().value as [string, Map<string, V>];
      this.entries.delete(oldest);
      this.size -= dropped.size;
    }
  }

  /** A read of (id, variant) in progress that a new request may join, begun after the id's last write. */
  pending(id: string, variant: string): Promise<V> | undefined {
    return this.inFlight.get(id)?.get(variant);
  }

  /**
   * Lets identical requests join `read` (begun with `ticket`) until it settles or the id is
   * written. The value is frozen, being shared.
   */
  share(id: string, variant: string, read: Promise<V>, ticket: number): Promise<V> {
    const shared = read.then(deepFreeze);
    if (ticket < this.floor || (this.lastWrite.get(id) ?? -1) >= ticket) return shared;
    let variants = this.inFlight.get(id);
    if (!variants) this.inFlight.set(id, (variants = new Map()));
    variants.set(variant, shared);
    const forget = () => {
      const now = this.inFlight.get(id);
      if (now?.get(variant) !== shared) return;
      now.delete(variant);
      if (now.size === 0) this.inFlight.delete(id);
    };
    shared.then(forget, forget);
    return shared;
  }

  /** Whether nothing was written to `id` (and nothing forgotten) since `ticket` was taken. */
  unchangedSince(id: string, ticket: number): boolean {
    return ticket >= this.floor && (this.lastWrite.get(id) ?? -1) < ticket;
  }

  /** Forgets everything and refuses every read begun before (the CouchDB feed that kept it true was lost). */
  reset(): void {
    this.lastWrite.clear();
    this.entries.clear();
    this.inFlight.clear();
    this.size = 0;
    this.floor = ++this.writes;
  }

  /** Call after (and for) every write of `ids`: drops their entries and refuses reads begun before. */
  written(ids: Iterable<string>): void {
    const counter = this.writes++;
    for (const id of ids) {
      this.inFlight.delete(id);
      this.lastWrite.set(id, counter);
      const dropped = this.entries.get(id);
      if (dropped) {
        this.size -= dropped.size;
        this.entries.delete(id);
      }
    }
    if (this.lastWrite.size > MAX_WRITTEN_IDS) {
      this.lastWrite.clear();
      this.entries.clear();
      this.inFlight.clear();
      this.size = 0;
      this.floor = this.writes;
    }
  }
}

/**
 * Identical reads of one database asked while one of them is in progress, answered by that one
 * read (for the CouchDB store, which cannot keep a cache: other instances write there). A write
 * of the database by this process ends the sharing, so a request made after it never joins a
 * read begun before it; nothing is kept once the read has settled. Results are frozen, being
 * shared.
 */
export class InFlightReads {
  private generation = 0;
  private readonly pending = new Map<string, Promise<unknown>>();

  join<T>(key: string, read: () => Promise<T>): Promise<T> {
    const slot = `${this.generation}\u0000${key}`;
    let shared = this.pending.get(slot) as Promise<T> | undefined;
    if (!shared) {
      const started = read().then(deepFreeze);
      shared = started;
      this.pending.set(slot, started);
      const forget = () => {
        if (this.pending.get(slot) === started) this.pending.delete(slot);
      };
      started.then(forget, forget);
    }
    return shared;
  }

  /** After every write of a document (not a `_local` one) of the database. */
  written(): void {
    this.generation++;
    this.pending.clear();
  }
}
