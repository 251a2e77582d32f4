/**
 * The export writers on their own: Thai survives both formats, CSV quoting and the byte-order
 * mark, and a cell that looks like a formula is never one.
 */
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvCell, writeCsv, writeXlsx, type ExportTable } from '../../sync-server/reports/export.ts';

const table = (): ExportTable => ({
  sheetName: 'ทดสอบ',
  columns: [
    { key: 'name', th: 'ชื่อ-สกุล', en: 'Name' },
    { key: 'n', th: 'จำนวน', en: 'Count' },
    { key: 'note', th: 'หมายเหตุ', en: 'Note' }
  ],
  rows: [
    { name: 'สมชาย ใจดี', n: 3, note: 'มี "เครื่องหมาย", จุลภาค' },
    { name: '=HYPERLINK("http://x")', n: null, note: 'บรรทัด\nสอง' }
  ]
});

async function collect(write: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Uint8Array[] = [];
  out.on('data', (c: Uint8Array) => chunks.push(c));
  const ended = new Promise((r) => out.on('end', r));
  await write(out);
  await ended;
  return Buffer.concat(chunks);
}

describe('exports', () => {
  it('CSV: BOM, Thai headers, RFC 4180 quoting, formulas defused', async () => {
    const text = (await collect((out) => writeCsv(table(), out))).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toBe('ชื่อ-สกุล / Name,จำนวน / Count,หมายเหตุ / Note');
    expect(lines[1]).toBe('สมชาย ใจดี,3,"มี ""เครื่องหมาย"", จุลภาค"');
    expect(lines[2]).toBe(`"'=HYPERLINK(""http://x"")",,"บรรทัด\nสอง"`);
    expect(csvCell(-5)).toBe('-5'); // numbers are numbers, not formulas
    expect(csvCell('-5')).toBe("'-5");
  });

  it('.xlsx: the rows as written, Thai intact, the formula-like text stays text', async () => {
    const bytes = await collect(async (out) => {
      await writeXlsx(table(), out);
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as never);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('ทดสอบ');
    expect(sheet.getRow(1).getCell(1).value).toBe('ชื่อ-สกุล / Name');
    expect(sheet.getRow(2).getCell(1).value).toBe('สมชาย ใจดี');
    expect(sheet.getRow(2).getCell(2).value).toBe(3);
    expect(sheet.getRow(3).getCell(1).value).toBe('=HYPERLINK("http://x")');
    expect(sheet.getRow(3).getCell(1).formula).toBeUndefined();
  });
});
