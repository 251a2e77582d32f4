/**
 * Assistance requests and release hand-overs on the device. A request filed or moved on by an
 * officer is saved to the unit's replica (offline, through the shared gate and the outbox); a
 * step by an account that does not write the unit by replication (the director, a supervisor)
 * goes to the server's step endpoint, online. A hand-over is recorded on the tablet (offline) as
 * a request; the server carries it out when it syncs and writes the outcome back.
 */
import {
  attachmentProblem,
  historyProblem,
  type AssistanceRequestDoc,
  consentProblem,
  type HandoverDoc,
  type HandoverRequestDoc,
  type RequestAttachmentDoc,
  type RequestDuty,
  type RequestEntry
} from '../domain/index.ts';
import { getSetting, setSetting } from './local-db.ts';
import { getDoc, putChecked, SaveError, withMeta } from './records.ts';
import { replicaFor } from './replica.ts';
import { deviceFetch } from './device.ts';
import { consentSource } from './services.ts';

interface Author {
  unitId: string;
  username: string;
}

async function rangeOf<T>(unitId: string, prefix: string): Promise<T[]> {
  const db = await replicaFor(unitId);
  const res = await db.allDocs({ startkey: `${prefix}:`, endkey: `${prefix}:\ufff0`, include_docs: true });
  return res.rows.flatMap((r) => ('doc' in r && r.doc ? [r.doc as unknown as T] : []));
}

export const unitRequests = (unitId: string) => rangeOf<AssistanceRequestDoc>(unitId, 'request');
export const unitHandovers = (unitId: string) => rangeOf<HandoverDoc>(unitId, 'handover');

export async function requestAttachments(unitId: string, requestId: string): Promise<RequestAttachmentDoc[]> {
  return (await rangeOf<RequestAttachmentDoc>(unitId, 'attachment')).filter((a) => a.requestId === requestId);
}

/** The duties of the signed-in account, from the server when online, else as last known. */
export async function myDuties(username: string): Promise<RequestDuty[]> {
  const key = `request-duties:${username}`;
  try {
    const res = await deviceFetch('/api/requests/duties', { credentials: 'same-origin' });
    if (res.ok) {
      const { duties } = (await res.json()) as { duties: RequestDuty[] };
      await setSetting(key, duties);
      return duties;
    }
  } catch {
    // offline: fall back to what the device last heard
  }
  return (await getSetting<RequestDuty[]>(key)) ?? [];
}

export type NewRequestFields = Pick<AssistanceRequestDoc, 'personId' | 'kind' | 'channel' | 'details'> &
  Partial<Pick<AssistanceRequestDoc, 'amount'>>;

/** An officer files a request for an applicant at the office (offline): the first step is theirs. */
export async function fileRequest(
  author: Author,
  id: string,
  fields: NewRequestFields,
  duty: RequestDuty
): Promise<AssistanceRequestDoc> {
  if (await getDoc(author.unitId, id)) throw new SaveError('คำร้องนี้บันทึกไปแล้ว / This request was already saved', 'conflict');
  const doc = withMeta(
    { ...fields, history: [{ state: 'submitted', at: new Date().toISOString(), by: author.username, duty }] },
    'request',
    id,
    author,
    undefined
  ) as AssistanceRequestDoc;
  const rev = await putChecked(author.unitId, doc);
  return { ...doc, _rev: rev };
}

/** Adds a step on the device (an officer's duty), checked by the same rules as the server. */
export async function addStepOnDevice(
  author: Author,
  id: string,
  entry: Omit<RequestEntry, 'by' | 'at'>
): Promise<AssistanceRequestDoc> {
  const existing = await getDoc<AssistanceRequestDoc>(author.unitId, id);
  if (!existing) throw new SaveError('ไม่พบคำร้องในเครื่อง / This request is not on this tablet', 'invalid');
  const history = [...existing.history, { ...entry, by: author.username, at: new Date().toISOString() }];
  const problem = historyProblem(history);
  if (problem) throw new SaveError(problem.reason, 'invalid');
  const { _id, ...fields } = existing;
  const doc = withMeta({ ...fields, history }, 'request', _id, author, existing) as AssistanceRequestDoc;
  const rev = await putChecked(author.unitId, doc);
  return { ...doc, _rev: rev };
}

async function postJson<T>(path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await deviceFetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body)
    });
  } catch {
    throw new SaveError('ต้องเชื่อมต่ออินเทอร์เน็ต / This needs a connection to the server', 'storage');
  }
  const data = (await res.json().catch(() => ({}))) as { message?: string };
  if (!res.ok) throw new SaveError(data.message ?? res.statusText, 'invalid');
  return data as T;
}

/** Adds a step on the server (online; the director's approval on the desktop). */
export function addStepOnline(
  unitId: string,
  requestId: string,
  entry: Pick<RequestEntry, 'state'> & Partial<Pick<RequestEntry, 'reason' | 'note'>>
): Promise<AssistanceRequestDoc> {
  // The server picks the duty from the account and stamps who and when itself.
  const { state, reason, note } = entry;
  return postJson('/api/requests/steps', { unitId, requestId, state, ...(reason && { reason }), ...(note && { note }) });
}

/** Attaches a picked file (checked on the device first: type, size, content). */
export async function attachFile(
  author: Author,
  id: string,
  request: Pick<AssistanceRequestDoc, '_id' | 'personId'>,
  file: File
): Promise<RequestAttachmentDoc> {
  const dataUrl = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
  const problem = attachmentProblem(file.type, dataUrl);
  if (problem) throw new SaveError(problem, 'invalid');
  const now = new Date().toISOString();
  const doc = withMeta(
    {
      requestId: request._id,
      personId: request.personId,
      fileName: file.name.slice(0, 200) || 'file',
      mediaType: file.type,
      addedAt: now,
      data: dataUrl
    },
    'attachment',
    id,
    author,
    undefined
  ) as RequestAttachmentDoc;
  const rev = await putChecked(author.unitId, doc);
  return { ...doc, _rev: rev };
}

/** A probation office a person can be handed over to (unit names are not personal data). */
export interface HandoverTarget {
  id: string;
  name: { th: string; en: string };
}

const TARGETS_KEY = 'handover-targets';

/**
 * The probation offices, from the server when there is signal (kept on the device), else as last
 * fetched — so a hand-over can be recorded offline. Empty only on a tablet that never had signal
 * since sign-in.
 */
export async function handoverTargets(): Promise<HandoverTarget[]> {
  try {
    const res = await deviceFetch('/api/handover-targets', { credentials: 'same-origin' });
    if (res.ok) {
      const list = (await res.json()) as HandoverTarget[];
      await setSetting(TARGETS_KEY, list);
      return list;
    }
  } catch {
    // offline: the list kept on the device
  }
  return (await getSetting<HandoverTarget[]>(TARGETS_KEY)) ?? [];
}

export type HandoverRequestFields = Pick<HandoverRequestDoc, 'personId' | 'toUnitId' | 'releasedOn' | 'reason' | 'consent'>;

/**
 * Records a hand-over on the tablet (offline): refused here without the person's consent to hand
 * over, exactly as the server would; otherwise saved to the replica, synced when the signal
 * returns, and carried out by the server, whose outcome syncs back onto this document.
 */
export async function requestHandover(author: Author, id: string, fields: HandoverRequestFields): Promise<HandoverRequestDoc> {
  const refused = consentProblem(
    'handover',
    fields.personId,
    fields.releasedOn,
    fields.consent,
    await consentSource(author.unitId, fields.consent)
  );
  if (refused) throw new SaveError(refused, 'invalid');
  const doc = withMeta(
    { ...fields, requestedAt: new Date().toISOString() },
    'handoverrequest',
    id,
    author,
    undefined
  ) as HandoverRequestDoc;
  const rev = await putChecked(author.unitId, doc);
  return { ...doc, _rev: rev };
}
