/**
 * Table exports: any list or KPI table as .xlsx (exceljs's streaming WorkbookWriter, one row in
 * memory at a time) or CSV (UTF-8 with a byte-order mark so Excel shows Thai). The caller hands a
 * column list and an iterable of rows; the file is written to a stream as it is produced.
 */
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { PassThrough, type Writable } from 'node:stream';

export type Cell = string | number | null | undefined;

export interface ExportColumn {
  key: string;
  /** Header: Thai first, English second. */
  th: string;
  en: string;
  width?: number;
}

export interface ExportTable {
  sheetName: string;
  /** A heading line above the column headers (.xlsx only: a CSV stays one header line and rows). */
  title?: string;
  columns: readonly ExportColumn[];
  rows: Iterable<Record<string, Cell>>;
}

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8'
};

/** Rows written between yields to the event loop, so a large export does not block other requests. */
const ROWS_PER_TICK = 2000;

const header = (c: ExportColumn) => `${c.th} / ${c.en}`;

export async function writeXlsx(table: ExportTable, out: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet(table.sheetName.slice(0, 31));
  if (table.title) {
    // Widths only: `header` would write the header row first, and the title goes above it.
    sheet.columns = table.columns.map((c) => ({ key: c.key, width: c.width ?? 18 }));
    const title = sheet.addRow([table.title]);
    title.font = { bold: true, size: 14 };
    title.commit();
    const head = sheet.addRow(table.columns.map(header));
    head.font = { bold: true };
    head.commit();
  } else {
    sheet.columns = table.columns.map((c) => ({ header: header(c), key: c.key, width: c.width ?? 18 }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
  }
  let n = 0;
  for (const row of table.rows) {
    sheet.addRow(table.columns.map((c) => row[c.key] ?? null)).commit();
    if (++n % ROWS_PER_TICK === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  sheet.commit();
  await workbook.commit();
}

/** RFC 4180 quoting; a cell starting with = + - @ is prefixed with ' so Excel does not run it as a formula. */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function writeCsv(table: ExportTable, out: Writable): Promise<void> {
  const write = (line: string) =>
    out.write(line) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write('\uFEFF' + table.columns.map((c) => csvCell(header(c))).join(',') + '\r\n');
  let chunk: string[] = [];
  for (const row of table.rows) {
    chunk.push(table.columns.map((c) => csvCell(row[c.key])).join(',') + '\r\n');
    if (chunk.length >= ROWS_PER_TICK) {
      await write(chunk.join(''));
      chunk = [];
    }
  }
  if (chunk.length) await write(chunk.join(''));
  out.end();
}

export function writeTable(format: ExportFormat, table: ExportTable, out: Writable): Promise<void> {
  return format === 'xlsx' ? writeXlsx(table, out) : writeCsv(table, out);
}

/**
 * Answers with the table as a file, streamed as it is written; `rowCount` (when known) goes in
 * `X-Export-Rows` so the screen's progress bar can say how far the download is.
 */
export function sendTable(reply: FastifyReply, format: ExportFormat, base: string, table: ExportTable, rowCount?: number) {
  const out = new PassThrough();
  reply.header('Content-Type', CONTENT_TYPES[format]);
  reply.header('Content-Disposition', `attachment; filename="${base}.${format}"`);
  reply.header('Cache-Control', 'no-store');
  if (rowCount !== undefined) reply.header('X-Export-Rows', String(rowCount));
  writeTable(format, table, out).catch((e) => out.destroy(e as Error));
  return reply.send(out);
}
