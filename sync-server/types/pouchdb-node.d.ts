/**
 * pouchdb-node ships no types and @types/pouchdb is not installed; this is the little the
 * sync-server and the tests use. Results are loosely typed on purpose: the embedded adapter
 * converts them into the storage port's CouchDB shapes.
 */
declare module 'pouchdb-node' {
  interface PouchChangesFeed extends PromiseLike<any> {
    on(event: 'change' | 'complete' | 'error', listener: (value: any) => void): this;
    cancel(): void;
  }
  interface PouchReplication extends PromiseLike<any> {
    on(event: string, listener: (value: any) => void): this;
    cancel(): void;
  }
  interface PouchDatabase {
    readonly name: string;
    info(): Promise<any>;
    get(id: string, opts?: Record<string, unknown>): Promise<any>;
    put(doc: Record<string, unknown>, opts?: Record<string, unknown>): Promise<any>;
    post(doc: Record<string, unknown>): Promise<any>;
    remove(id: string, rev: string): Promise<any>;
    remove(doc: Record<string, unknown>): Promise<any>;
    bulkDocs(docs: unknown[], opts?: Record<string, unknown>): Promise<any[]>;
    bulkGet(opts: Record<string, unknown>): Promise<any>;
    revsDiff(body: Record<string, string[]>): Promise<any>;
    allDocs(opts?: Record<string, unknown>): Promise<any>;
    changes(opts?: Record<string, unknown>): PouchChangesFeed;
    replicate: {
      to(target: PouchDatabase | string, opts?: Record<string, unknown>): PouchReplication;
      from(source: PouchDatabase | string, opts?: Record<string, unknown>): PouchReplication;
    };
    sync(other: PouchDatabase | string, opts?: Record<string, unknown>): PouchReplication;
    close(): Promise<void>;
    destroy(): Promise<void>;
  }
  interface PouchDBConstructor {
    new (name: string, opts?: Record<string, unknown>): PouchDatabase;
    replicate(source: PouchDatabase | string, target: PouchDatabase | string, opts?: Record<string, unknown>): PouchReplication;
  }
  const PouchDB: PouchDBConstructor;
  export type { PouchDatabase, PouchChangesFeed, PouchReplication };
  export default PouchDB;
}
