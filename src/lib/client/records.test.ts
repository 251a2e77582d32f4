/**
 * The save path of a form (records.ts): a document is checked by the shared gate once, when the
 * form prepares it, and the write that follows stores exactly that document, then lists it in the
 * outbox — only after the replica's write committed, and never for a write that failed.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { useFreshAccount } from './test-support.ts';
import { CARE01_ID, minimalCare01, minimalPerson, PERSON_ID, UNIT } from '../domain/test-fixtures.ts';
import type { PersonDoc } from '../domain/index.ts';
import { localDb } from './local-db.ts';
import { Outbox } from './outbox.ts';
import { getDoc, PreparedWrite, putChecked, SaveError, writePrepared } from './records.ts';
import { replicaFor, useReplicaPrefix } from './replica.ts';
import { endScreenReads, resumeScreenReads, screenRead } from './screen-reads.ts';

const unsent = () => new Outbox(localDb).unsent(UNIT);
const stored = async (id: string) => ((await replicaFor(UNIT)).get(id) as Promise<unknown>).catch(() => null);

describe('writing a prepared document', () => {
  it('stores exactly the checked document and lists that revision in the outbox', async () => {
    await useFreshAccount('officer');
    const doc = minimalCare01({ unitId: UNIT });
    const prepared = PreparedWrite.of(UNIT, doc, undefined);
    expect(prepared.check.ok).toBe(true);
    const saved = await writePrepared(prepared);
    const inReplica = (await stored(CARE01_ID)) as Record<string, unknown>;
    expect(inReplica._rev).toBe(saved._rev);
    const { _rev, ...content } = inReplica;
    void _rev;
    expect(content).toEqual(doc);
    expect((await unsent()).map((e) => [e.docId, e.rev])).toEqual([[CARE01_ID, saved._rev]]);
  });

  it('a document the gate refused is not written, whatever the caller does with the verdict', async () => {
    await useFreshAccount('officer');
    const prepared = PreparedWrite.of(UNIT, minimalPerson({ unitId: UNIT, firstName: '' }), undefined);
    expect(prepared.check.ok).toBe(false);
    const refusal = await writePrepared(prepared).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(SaveError);
    expect((refusal as SaveError).kind).toBe('invalid');
    expect(await stored(PERSON_ID)).toBeNull();
    expect(await unsent()).toEqual([]);
  });

  it('a document of another unit fails the gate when prepared', async () => {
    await useFreshAccount('officer');
    const prepared = PreparedWrite.of('another-unit', minimalPerson({ unitId: UNIT }), undefined);
    expect(prepared.check.ok).toBe(false);
    await expect(writePrepared(prepared)).rejects.toBeInstanceOf(SaveError);
    expect(await stored(PERSON_ID)).toBeNull();
  });

  it('what only differs by its bookkeeping is not written again', async () => {
    await useFreshAccount('officer');
    const first = minimalPerson({ unitId: UNIT });
    const rev = await putChecked(UNIT, first);
    const existing = { ...first, _rev: rev } as PersonDoc;
    const again = { ...first, _rev: rev, updatedAt: new Date(Date.now() + 60_000).toISOString(), updatedBy: 'someone.else' };
    const prepared = PreparedWrite.of(UNIT, again, existing);
    expect(prepared.changed).toBe(false);
    expect(await writePrepared(prepared)).toBe(existing);
    expect(((await stored(PERSON_ID)) as { _rev: string })._rev).toBe(rev);
    expect((await unsent()).map((e) => e.rev)).toEqual([rev]);
  });

  it('a write the replica refuses (changed underneath: 409) leaves the outbox as it was', async () => {
    await useFreshAccount('officer');
    const first = minimalPerson({ unitId: UNIT });
    const rev1 = await putChecked(UNIT, first);
    const rev2 = await putChecked(UNIT, { ...first, _rev: rev1, firstName: 'สมศักดิ์' });
    // A form opened at rev1 saves after rev2 was written (by sync or another tab).
    const stale = { ...first, _rev: rev1 } as PersonDoc;
    const prepared = PreparedWrite.of(UNIT, { ...stale, firstName: 'สมหมาย' }, stale);
    expect(prepared.changed).toBe(true);
    await expect(writePrepared(prepared)).rejects.toMatchObject({ kind: 'conflict' });
    expect(await stored(PERSON_ID)).toMatchObject({ _rev: rev2, firstName: 'สมศักดิ์' });
    expect((await unsent()).map((e) => e.rev)).toEqual([rev2]);
  });
});

describe('after the account signed out', () => {
  it('a screen still reading gets nothing and raises nothing, while a save still fails loudly', async () => {
    await useFreshAccount('officer');
    await putChecked(UNIT, minimalPerson({ unitId: UNIT }));
    await endScreenReads(); // what signing out does first
    await useReplicaPrefix(null); // then the replicas close
    const read = screenRead(() => getDoc<PersonDoc>(UNIT, PERSON_ID));
    const quiet = await Promise.race([
      read.then(
        () => 'answered',
        () => 'failed'
      ),
      new Promise((r) => setTimeout(() => r('quiet'), 50))
    ]);
    expect(quiet).toBe('quiet');
    // Outside a screen the same read fails as before, and a write is never silently dropped.
    await expect(getDoc<PersonDoc>(UNIT, PERSON_ID)).rejects.toThrow('no account signed in');
    await expect(putChecked(UNIT, minimalPerson({ unitId: UNIT }))).rejects.toThrow('no account signed in');
    resumeScreenReads();
  });
});
