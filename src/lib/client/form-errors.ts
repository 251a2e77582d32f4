/**
 * Why a save was refused, in words a person can read: each problem names the field by its label
 * on the form (Thai, English), says what is wrong, and knows the element to take the user to.
 *
 * Two sources feed it: the shared schemas checked on the tablet (zod issues: a path into the
 * document and a code), and refusals from the server. A refusal that carries a `{ code, field }`
 * (the refusal-code catalogue of the domain) is worded from the code and labelled from the same
 * field list; one that carries only the server's reason shows that reason, never nothing.
 */
import type { ZodError } from 'zod';
import { checkDoc, SCHEMAS, type DocCheck } from '../domain/validate-doc.ts';

export interface Words {
  th: string;
  en: string;
}

/**
 * One field of a form: where its value sits in the saved document (`path`, dot-separated; `#`
 * stands for an item's position in a list), the id of the element to take the user to (`#` is
 * replaced by that position), and its label on the form.
 */
export interface FieldDef {
  path: string;
  element: string;
  label: Words;
}

export interface FieldProblem {
  /** The element to scroll to and focus; null when no field of the form is concerned. */
  element: string | null;
  label: Words | null;
  message: Words;
}

/** The subset of a zod issue used here (zod 4's `$ZodIssue`). */
export interface IssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  maximum?: number | bigint;
  minimum?: number | bigint;
  origin?: string;
}

/** A server refusal: a catalogue code and the field it concerns, or only a reason. */
export interface Refusal {
  code?: string;
  field?: string;
  reason?: string;
}

const REQUIRED: Words = { th: 'ต้องกรอก', en: 'is required' };
const CHOOSE: Words = { th: 'ต้องเลือกจากตัวเลือกในแบบฟอร์ม', en: "must be one of the form's choices" };

/** Messages the schemas already write in both languages: "ไทย / English". */
function bilingual(message: string): Words | null {
  const at = message.indexOf(' / ');
  if (at < 0 || !/[\u0E00-\u0E7F]/.test(message.slice(0, at))) return null;
  return { th: message.slice(0, at), en: message.slice(at + 3) };
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function valueAt(doc: unknown, path: PropertyKey[]): unknown {
  let v: unknown = doc;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** What is wrong, from the issue's code (the wording lives here, not in the schemas). */
export function wordingOf(issue: IssueLike, value: unknown): Words {
  const own = bilingual(issue.message);
  if (own) return own;
  if (isBlank(value) && issue.code !== 'too_big')
    return issue.code === 'invalid_value' ? { th: 'ต้องเลือก', en: 'must be chosen' } : REQUIRED;
  const max = issue.maximum !== undefined ? String(issue.maximum) : '';
  const min = issue.minimum !== undefined ? String(issue.minimum) : '';
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'number') return { th: `ต้องไม่เกิน ${max}`, en: `must be at most ${max}` };
      if (issue.origin === 'array' || issue.origin === 'set') return { th: `เกิน ${max} รายการ`, en: `more than ${max} entries` };
      return { th: `ยาวเกิน ${max} ตัวอักษร`, en: `longer than ${max} characters` };
    case 'too_small':
      if (issue.origin === 'number') return { th: `ต้องไม่น้อยกว่า ${min}`, en: `must be at least ${min}` };
      if (issue.origin === 'array' || issue.origin === 'set')
        return { th: `ต้องเลือกอย่างน้อย ${min} รายการ`, en: `pick at least ${min}` };
      return min === '1' ? REQUIRED : { th: `สั้นกว่า ${min} ตัวอักษร`, en: `shorter than ${min} characters` };
    case 'invalid_value':
    case 'invalid_union':
      return CHOOSE;
    case 'invalid_type':
      return typeof value === 'string' && issue.message.includes('number')
        ? { th: 'ต้องเป็นตัวเลข', en: 'must be a number' }
        : { th: 'ค่าไม่ถูกต้อง', en: 'is not a valid entry' };
    case 'invalid_format':
      return { th: 'รูปแบบไม่ถูกต้อง', en: 'is not in the right format' };
    case 'unrecognized_keys':
      return { th: 'มีข้อมูลที่แบบฟอร์มนี้ไม่รู้จัก', en: 'holds data this form does not know' };
    default:
      return { th: 'ค่าไม่ถูกต้อง', en: 'is not a valid entry' };
  }
}

/** The form field a document path belongs to: the longest definition that is a prefix of it. */
export function fieldFor(path: readonly PropertyKey[], defs: readonly FieldDef[]): { element: string; label: Words } | null {
  let best: { def: FieldDef; indices: string[]; length: number } | null = null;
  for (const def of defs) {
    const parts = def.path.split('.');
    if (parts.length > path.length) continue;
    const indices: string[] = [];
    const matches = parts.every((p, i) => {
      const key = String(path[i]);
      if (p === '#') {
        indices.push(key);
        return /^\d+$/.test(key);
      }
      return p === key;
    });
    if (matches && (!best || parts.length > best.length)) best = { def, indices, length: parts.length };
  }
  if (!best) return null;
  let element = best.def.element;
  for (const index of best.indices) element = element.replace('#', index);
  const label = {
    th: best.def.label.th.replace('#', String(Number(best.indices[0] ?? 0) + 1)),
    en: best.def.label.en.replace('#', String(Number(best.indices[0] ?? 0) + 1))
  };
  return { element, label };
}

/** Every problem of a refused document, one per field, in the order of the issues. */
export function problemsFromIssues(issues: readonly IssueLike[], doc: unknown, defs: readonly FieldDef[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const field = fieldFor(issue.path, defs);
    const key = field?.element ?? issue.path.join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      element: field?.element ?? null,
      label: field?.label ?? null,
      message: wordingOf(issue, valueAt(doc, issue.path))
    });
  }
  return out;
}

export const problemsFromZod = (error: ZodError, doc: unknown, defs: readonly FieldDef[]) =>
  problemsFromIssues(error.issues, doc, defs);

/**
 * Wording of the refusal-code catalogue, by code. Filled from the domain's catalogue where it
 * exists; an unknown code falls back to the server's own reason.
 */
export type RefusalWording = (code: string) => Words | undefined;

export function problemFromRefusal(refusal: Refusal, defs: readonly FieldDef[], wording?: RefusalWording): FieldProblem {
  const field = refusal.field ? fieldFor(refusal.field.split('.'), defs) : null;
  const words = (refusal.code && wording?.(refusal.code)) ||
    bilingual(refusal.reason ?? '') || {
      th: refusal.reason || 'เซิร์ฟเวอร์ไม่รับข้อมูลนี้',
      en: refusal.reason || 'The server refused this record'
    };
  return { element: field?.element ?? null, label: field?.label ?? null, message: words };
}

/** "ชื่อ: ต้องกรอก" / "First name: is required". */
export function problemText(p: FieldProblem, lang: 'th' | 'en'): string {
  return p.label ? `${p.label[lang]}: ${p.message[lang]}` : p.message[lang];
}

/**
 * The shared gate's verdict on one document, as field problems (empty when it passes). The gate
 * itself answers with one line of text; the schema is asked again for its issues only then.
 * `check`: the gate's verdict on this very document when the caller already has it.
 */
export function documentProblems(
  doc: { type: string },
  unitId: string,
  defs: readonly FieldDef[],
  check: DocCheck = checkDoc(doc, unitId)
): FieldProblem[] {
  if (check.ok) return [];
  const schema = Object.hasOwn(SCHEMAS, doc.type) ? SCHEMAS[doc.type as keyof typeof SCHEMAS] : undefined;
  const parsed = schema?.safeParse(doc);
  if (parsed && !parsed.success) return problemsFromIssues(parsed.error.issues, doc, defs);
  return [problemFromRefusal({ reason: check.reason }, defs)];
}
