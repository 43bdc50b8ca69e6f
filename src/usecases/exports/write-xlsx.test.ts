import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CURRENCY_FORMAT, firmDayCell, type XlsxColumn } from '../../domain/spreadsheet.ts';
import { ExportAborted, writeXlsx } from './write-xlsx.ts';

interface Row {
  name: string;
  cents: number;
  at: string;
  seq: number | null;
}

const columns: XlsxColumn<Row>[] = [
  { header: 'Date', width: 12, kind: 'date', value: (r) => firmDayCell(r.at, 'America/Los_Angeles') },
  { header: 'Name', width: 20, kind: 'text', value: (r) => r.name },
  { header: 'Amount', width: 12, kind: 'money', value: (r) => r.cents },
  { header: 'Seq', width: 6, kind: 'number', value: (r) => r.seq },
];

async function* pagesOf(...pages: Row[][]): AsyncGenerator<Row[]> {
  for (const page of pages) yield page;
}

async function collect(out: PassThrough): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of out) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('writeXlsx', () => {
  it('writes a header, typed cells and formula-safe text across pages', async () => {
    const out = new PassThrough();
    const bytes = collect(out);
    await writeXlsx(
      out,
      'Rows',
      columns,
      pagesOf(
        [{ name: '=1+1', cents: 12345, at: '2026-11-01T23:59:00.000Z', seq: 7 }],
        [{ name: 'Plain', cents: -50, at: '2026-11-02T00:00:00.000Z', seq: null }],
      ),
    );
    const workbook = new ExcelJS.Workbook();
    // ExcelJS types its input as an ArrayBuffer; a copy gives one that is not shared.
    await workbook.xlsx.load(new Uint8Array(await bytes).buffer);
    const sheet = workbook.getWorksheet('Rows');
    expect(sheet?.getRow(1).values).toEqual([undefined, 'Date', 'Name', 'Amount', 'Seq']);
    expect(sheet?.rowCount).toBe(3);
    const first = sheet!.getRow(2);
    expect(first.getCell(1).value).toEqual(new Date('2026-11-01T00:00:00.000Z'));
    // Midnight UTC on 2 November is 5 pm on 1 November in the firm's Los Angeles.
    expect(sheet!.getRow(3).getCell(1).value).toEqual(new Date('2026-11-01T00:00:00.000Z'));
    expect(first.getCell(2).value).toBe("'=1+1");
    expect(first.getCell(3).value).toBe(123.45);
    expect(first.getCell(3).numFmt).toBe(CURRENCY_FORMAT);
    expect(first.getCell(4).value).toBe(7);
    expect(sheet!.getRow(3).getCell(3).value).toBe(-0.5);
    expect(sheet!.getRow(3).getCell(4).value).toBeNull();
  });

  it('rejects, rather than hangs, when reading a page fails mid-stream', async () => {
    const out = new PassThrough();
    void collect(out).catch(() => undefined);
    async function* failing(): AsyncGenerator<Row[]> {
      yield [{ name: 'a', cents: 1, at: '2026-01-01', seq: null }];
      throw new Error('database went away');
    }
    await expect(writeXlsx(out, 'Rows', columns, failing())).rejects.toThrow('database went away');
  });

  it('stops reading pages once the download is closed', async () => {
    const out = new PassThrough();
    let pagesRead = 0;
    async function* endless(): AsyncGenerator<Row[]> {
      for (;;) {
        pagesRead += 1;
        if (pagesRead === 3) out.destroy();
        yield Array.from({ length: 100 }, (_, i) => ({ name: `n${i}`, cents: i, at: '2026-01-01', seq: i }));
      }
    }
    await expect(writeXlsx(out, 'Rows', columns, endless())).rejects.toBeInstanceOf(ExportAborted);
    expect(pagesRead).toBe(3);
  });

  it('waits for a slow reader, and gives up if it goes away while waiting', async () => {
    const out = new PassThrough({ highWaterMark: 1024 });
    let pagesRead = 0;
    async function* big(): AsyncGenerator<Row[]> {
      for (let p = 0; p < 50; p += 1, pagesRead += 1)
        yield Array.from({ length: 500 }, (_, i) => ({ name: `row ${p}-${i}`, cents: i, at: '2026-01-01', seq: i }));
    }
    const writing = writeXlsx(out, 'Rows', columns, big());
    // Nobody reads `out`, so the writer must end up waiting for a drain rather than buffering all 25,000 rows.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pagesRead).toBeLessThan(10);
    out.destroy();
    await expect(writing).rejects.toBeInstanceOf(ExportAborted);
  });
});
