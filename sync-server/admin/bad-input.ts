/**
 * Bad input to an administrative action: which field, and why in Thai and English. Thrown
 * before anything is written, answered 400 `{error:'bad_request', field, message}` by the
 * routes and printed by the command line.
 */
import type { z } from 'zod';

export class BadInput extends Error {
  constructor(
    readonly field: string,
    readonly th: string,
    readonly en: string
  ) {
    super(`${th} / ${en}`);
  }
}

/** Parses with zod; the first problem becomes a BadInput naming its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
  const th = issue.code === 'invalid_type' && issue.input === undefined ? `ต้องระบุช่อง ${field}` : `ค่าของช่อง ${field} ไม่ถูกต้อง`;
  throw new BadInput(field, th, `${field}: ${issue.message}`);
}
