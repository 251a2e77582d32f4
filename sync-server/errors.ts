/**
 * Error answers. Replication endpoints answer in CouchDB's shape `{error, reason}` because
 * PouchDB turns exactly those fields into its error objects (`name` from `error`); the app's
 * JSON API answers `{error, message}` with a message a person can read (Thai / English).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isStoreError } from './storage/port.ts';

export function sendCouchError(reply: FastifyReply, status: number, error: string, reason: string) {
  return reply.code(status).type('application/json').send({ error, reason });
}

/**
 * The answer to a refused body ends the connection, and the socket is destroyed once the answer
 * is out: the rest of the body is never received, so refusing it costs nothing more.
 */
export function closeAfterAnswer(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('Connection', 'close');
  reply.raw.once('finish', () => request.raw.socket?.destroy());
}

export function sendApiError(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).type('application/json').send({ error, message });
}

/** Fastify's own errors before a handler runs (body parsing), in our shapes. */
function describe(err: FastifyError): { status: number; error: string; reason: string } {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, error: 'bad_request', reason: 'invalid UTF-8 JSON' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, error: 'too_large', reason: 'คำขอมีขนาดใหญ่เกินกำหนด / the request body is too large' };
    case 'CARE_BODY_TIMEOUT':
      return { status: 408, error: 'request_timeout', reason: 'ส่งข้อมูลช้าเกินไป / the request body arrived too slowly' };
    case 'CARE_JSON_TOO_MANY_VALUES':
      return { status: 413, error: 'too_large', reason: err.message };
    case 'CARE_JSON_TOO_DEEP':
      return { status: 400, error: 'bad_request', reason: err.message };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, error: 'bad_content_type', reason: 'Content-Type must be application/json' };
  }
  if (isStoreError(err)) return { status: err.status, error: err.error, reason: err.reason };
  const status = typeof err.statusCode === 'number' && err.statusCode >= 400 ? err.statusCode : 500;
  if (status >= 500) return { status, error: 'internal_server_error', reason: 'the server could not complete the request' };
  return { status, error: 'bad_request', reason: 'the request is not valid' };
}

/**
 * One error handler for everything. Only server faults are logged, and without the request:
 * error messages of client faults can quote the body, and bodies hold personal data.
 */
export function handleError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const { status, error, reason } = describe(err);
  if (status >= 500) request.log.error({ err }, 'request failed');
  const path = request.url.split('?')[0];
  if (path.startsWith('/sync')) return sendCouchError(reply, status, error, reason);
  return sendApiError(reply, status, error, reason);
}
