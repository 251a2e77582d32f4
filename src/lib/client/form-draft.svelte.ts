/**
 * The draft side of an open form: offers a found draft back (and does not overwrite it until the
 * officer chose to restore or discard it), then writes every change that differs from the saved
 * record. Shared by the CARE 01 form and the person form.
 */
import { DraftWriter, loadDraft } from './drafts.ts';
import type { Draft } from './local-db.ts';

export class FormDraft<T> {
  offer = $state<Draft | null>(null);
  /** False while a found draft waits for the officer's decision. */
  enabled = $state(false);
  private writer: DraftWriter;
  private baseline = '';

  constructor(readonly key: string) {
    this.writer = new DraftWriter(key);
  }

  /** Call once the saved record (or the empty form) is loaded: `baseline` is its JSON. */
  async init(baseline: T): Promise<void> {
    this.baseline = JSON.stringify(baseline);
    const found = await loadDraft(this.key);
    if (found && JSON.stringify(found.data) !== this.baseline) this.offer = found;
    else this.enabled = true;
  }

  /** Call from an $effect with the form's current snapshot. */
  track(data: T, meta: { unitId: string; title: string; href: string; baseRev?: string }): void {
    if (!this.enabled) return;
    const json = JSON.stringify(data);
    if (json === this.baseline) return;
    this.writer.save({ ...meta, data: JSON.parse(json) });
  }

  restore(): T {
    const data = this.offer!.data as T;
    this.offer = null;
    this.enabled = true;
    return data;
  }

  async discardOffer(): Promise<void> {
    this.offer = null;
    await this.writer.discard();
    this.enabled = true;
  }

  /** After a successful save: the record now holds everything the draft had. */
  async clear(newBaseline: T): Promise<void> {
    this.baseline = JSON.stringify(newBaseline);
    await this.writer.discard();
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }
}
