/**
 * Logger settings. The rule: no personal data in logs. A request is logged as method, path
 * (query strings dropped: they can carry document ids and revisions lists, and in future
 * search terms), status and time. Bodies are never logged. Cookie and Authorization headers
 * are redacted in case anything ever logs headers.
 */
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';

export interface LogOptions {
  level: string;
  /** A writable stream for log lines (tests capture them); stdout when absent. */
  stream?: { write(line: string): unknown };
}

export const pathOnly = (url: string | undefined) => (url ?? '').split('?')[0];

export function loggerOptions(options: LogOptions): FastifyServerOptions['logger'] {
  return {
    level: options.level,
    ...(options.stream ? { stream: options.stream } : {}),
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        'headers.cookie',
        'headers.authorization'
      ],
      censor: '[redacted]'
    },
    serializers: {
      req: (req: { method?: string; url?: string }) => ({ method: req.method, path: pathOnly(req.url) }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      // Server faults only (see errors.ts): name, code and stack, no request data.
      err: (err: { name?: string; code?: string; stack?: string }) => ({ type: err.name, code: err.code, stack: err.stack })
    }
  } as unknown as FastifyServerOptions['logger']; // pino's option types are wider than Fastify's re-export
}

/**
 * The one line per request, written from the onResponse hook, with the account that made it
 * (null before authentication or when it failed) and the client address as resolved through
 * the trusted proxies: enough to follow one account's activity, no content.
 */
export function logRequest(
  log: FastifyBaseLogger,
  method: string,
  url: string,
  statusCode: number,
  elapsedMs: number,
  who: { account: string | null; ip: string } = { account: null, ip: '' }
) {
  log.info(
    { method, path: pathOnly(url), status: statusCode, ms: Math.round(elapsedMs), account: who.account, ip: who.ip },
    'request'
  );
}
