/**
 * A document attached to an assistance request (scanned documents, photos: docs/domain/assistance-requests.md
 * "attachments kept with the request"). Each file is its own synced document, so a request stays
 * small and a file syncs once; kept as a base64 data URL because the sync gate accepts no CouchDB
 * attachments. Only JPEG, PNG and PDF are accepted, at most MAX_ATTACHMENT_BYTES each, and the
 * file's first bytes must match its declared type (a renamed executable is refused).
 */
import { z } from 'zod';
import { options } from '../options.ts';
import { docMeta, isoDateTime, PERSON_ID, requiredText, UUID } from '../schemas.ts';
import { REQUEST_ID } from './assistance-request.ts';

export const ATTACHMENT_ID = new RegExp(`^attachment:${UUID}$`);

/** 500 KiB of file: a phone photo resized on the device, or a few scanned pages as PDF. */
export const MAX_ATTACHMENT_BYTES = 512 * 1024;

export const ATTACHMENT_TYPES = options([
  { value: 'image/jpeg', th: 'รูปภาพ JPEG', en: 'JPEG image' },
  { value: 'image/png', th: 'รูปภาพ PNG', en: 'PNG image' },
  { value: 'application/pdf', th: 'เอกสาร PDF', en: 'PDF document' }
] as const);
export type AttachmentType = (typeof ATTACHMENT_TYPES.values)[number];

/** The base64 form of each type's signature bytes (FF D8 FF; 89 50 4E 47; %PDF). */
const MAGIC: Record<AttachmentType, string> = { 'image/jpeg': '/9j/', 'image/png': 'iVBORw0KGgo', 'application/pdf': 'JVBER' };

/** Bytes a base64 payload decodes to. */
export function base64Bytes(payload: string): number {
  const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
  return (payload.length / 4) * 3 - padding;
}

/** Why a data URL is not an acceptable attachment, or null. Checked before saving and on the server. */
export function attachmentProblem(mediaType: string, dataUrl: string): string | null {
  if (!(ATTACHMENT_TYPES.values as readonly string[]).includes(mediaType))
    return `ไม่รับไฟล์ประเภทนี้ (รับ JPEG, PNG, PDF) / files of type ${mediaType.slice(0, 60)} are not accepted (JPEG, PNG or PDF only)`;
  const prefix = `data:${mediaType};base64,`;
  if (!dataUrl.startsWith(prefix)) return 'ข้อมูลไฟล์ไม่ตรงกับประเภท / the file data does not match its type';
  const payload = dataUrl.slice(prefix.length);
  if (payload.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) return 'ข้อมูลไฟล์เสียหาย / the file data is not base64';
  if (base64Bytes(payload) > MAX_ATTACHMENT_BYTES)
    return `ไฟล์ใหญ่เกิน ${MAX_ATTACHMENT_BYTES / 1024} KB / the file is larger than ${MAX_ATTACHMENT_BYTES / 1024} KB`;
  if (!payload.startsWith(MAGIC[mediaType as AttachmentType]))
    return 'เนื้อไฟล์ไม่ใช่ประเภทที่ระบุ / the file content is not of its declared type';
  return null;
}

/** Max characters of the data URL (the size limit in base64 plus the prefix). */
const MAX_DATA_URL_CHARS = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4 + 40;

export const requestAttachmentSchema = z
  .strictObject({
    ...docMeta,
    _id: z.string().regex(ATTACHMENT_ID, { message: 'attachment ids look like attachment:<uuid>' }),
    type: z.literal('attachment'),
    requestId: z.string().regex(REQUEST_ID, { message: 'requestId must be a request id' }),
    personId: z.string().regex(PERSON_ID, { message: 'personId must be a person id' }),
    fileName: requiredText(200),
    mediaType: z.string().max(100),
    addedAt: isoDateTime,
    data: z.string().max(MAX_DATA_URL_CHARS, {
      message: `ไฟล์ใหญ่เกิน ${MAX_ATTACHMENT_BYTES / 1024} KB / the file is larger than ${MAX_ATTACHMENT_BYTES / 1024} KB`
    })
  })
  .superRefine((a, ctx) => {
    const problem = attachmentProblem(a.mediaType, a.data);
    if (problem) ctx.addIssue({ code: 'custom', path: ['data'], message: problem });
  });
export type RequestAttachmentDoc = z.infer<typeof requestAttachmentSchema>;
