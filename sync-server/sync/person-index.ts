/**
 * Which person each document of a unit belongs to, and which volunteers each person is assigned
 * to: what the volunteer scope (volunteer-scope.ts) needs to answer "may this volunteer see this
 * document?" for every row of a changes feed without reading the rows' bodies again.
 *
 * Built from the unit's own changes feed and kept up to date by reading it on from the last
 * sequence seen before every use (`refresh`). So it is never stale when it is consulted, costs a
 * full read of the unit once per process (the first volunteer request), and afterwards only the
 * changes made since the previous request. Nothing is cached across processes: several server
 * instances in front of one CouchDB each follow the feed themselves.
 *
 * Memory: two map entries per document id (~10,000 documents → well under 2 MB).
 */
import type { DocumentStore, Seq, StoragePort, StoredDoc } from '../storage/port.ts';

/** Rows per changes request while catching up (with bodies: photos can be ~400 kB each). */
const PAGE = 200;

export class PersonIndex {
  private lastSeq: Seq = 0;
  /** document id → the person id it belongs to (a person's own id for a person document). */
  private readonly personOf = new Map<string, string>();
  /** person id → the volunteers named in the person's winning revision. */
  private readonly volunteersOf = new Map<string, readonly string[]>();
  /** Refreshes run one after another: two overlapping catch-ups would read the same pages. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly db: DocumentStore) {}

  /** Reads the changes made since the last refresh. Resolves once the index covers them. */
  refresh(): Promise<void> {
    const next = this.queue.then(() => this.catchUp());
    // A failed read must not poison later refreshes; the caller still sees this one's error.
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.db.changes({ since: this.lastSeq, limit: PAGE, include_docs: true, style: 'main_only' });
      for (const row of page.results) this.learn(row.id, row.doc);
      this.lastSeq = page.last_seq;
      if (page.results.length < PAGE) return;
    }
  }

  private learn(id: string, doc: StoredDoc | undefined): void {
    if (!doc || doc._deleted) {
      this.personOf.delete(id);
      this.volunteersOf.delete(id);
      return;
    }
    if (doc.type === 'person') {
      this.personOf.set(id, id);
      const names = Array.isArray(doc.assignedVolunteers)
        ? doc.assignedVolunteers.filter((n): n is string => typeof n === 'string')
        : [];
      this.volunteersOf.set(id, names);
    } else if (typeof doc.personId === 'string') {
      this.personOf.set(id, doc.personId);
    } else {
      // Every synced type but `person` carries personId; anything else belongs to nobody.
      this.personOf.delete(id);
    }
  }

  /** Whether the index has seen this document id at all (false: newer than the last refresh). */
  knows(id: string): boolean {
    return this.personOf.has(id);
  }

  personOfDoc(id: string): string | undefined {
    return this.personOf.get(id);
  }

  /** How many documents belong to `people` (a volunteer's doc_count). */
  countFor(people: ReadonlySet<string>): number {
    let count = 0;
    for (const personId of this.personOf.values()) if (people.has(personId)) count++;
    return count;
  }

  /** The person ids whose winning revision lists `username` in `assignedVolunteers`. */
  assignedTo(username: string): Set<string> {
    const people = new Set<string>();
    for (const [personId, names] of this.volunteersOf) if (names.includes(username)) people.add(personId);
    return people;
  }
}

/**
 * One index per unit database per storage: keyed by the storage object (tests run several
 * servers with the same unit names in one process) and the database name (a CouchDB adapter
 * may hand out a new handle per openDatabase call).
 */
const indexes = new WeakMap<StoragePort, Map<string, PersonIndex>>();

export function personIndexFor(storage: StoragePort, db: DocumentStore): PersonIndex {
  let byName = indexes.get(storage);
  if (!byName) indexes.set(storage, (byName = new Map()));
  let index = byName.get(db.name);
  if (!index) byName.set(db.name, (index = new PersonIndex(db)));
  return index;
}
