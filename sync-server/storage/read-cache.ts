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
 * the id was written since. Cached values are deep-frozen and shared between requests, so a
 * caller that tried to modify one would fail loudly instead of changing what others read.
 *
 * Not for the CouchDB store: other instances write there without telling this process.
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

  /** Call after (and for) every write of `ids`: drops their entries and refuses reads begun before. */
  written(ids: Iterable<string>): void {
    const counter = this.writes++;
    for (const id of ids) {
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
      this.size = 0;
      this.floor = this.writes;
    }
  }
}
