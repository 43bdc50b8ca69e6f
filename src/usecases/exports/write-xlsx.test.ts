import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
// ExcelJS's own zip reader (a dependency of it): the sheets' XML is compared as text.
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import {
  CURRENCY_FORMAT,
  DATE_FORMAT,
  centsToDollars,
  firmDayCell,
  safeCellText,
  type XlsxColumn,
} from '../../domain/spreadsheet.ts';
import { columnLetters, ExportAborted, writeXlsx, xmlEncode } from './write-xlsx.ts';

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

async function* pagesOf<T>(...pages: T[][]): AsyncGenerator<T[]> {
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

  it("writes the rows as ExcelJS's own Row and Cell objects would, byte for byte (sheet and styles)", async () => {
    interface Mixed {
      text: string | null;
      cents: number;
      at: string;
      seq: number | null;
      other: string | null;
    }
    const mixed: XlsxColumn<Mixed>[] = [
      { header: 'Date', width: 12, kind: 'date', value: (r) => firmDayCell(r.at, 'America/New_York') },
      { header: 'Text', width: 20, kind: 'text', value: (r) => r.text },
      { header: 'Amount', width: 12, kind: 'money', value: (r) => r.cents },
      { header: 'Seq', width: 6, kind: 'number', value: (r) => r.seq },
      { header: 'Other', width: 6, kind: 'text', value: (r) => r.other },
    ];
    const texts = [
      'Plain',
      'Tom & Jerry <Holdings> "quoted" \'single\'',
      'tab\there, new\nline, return\r, bell\u0007, nul\u0000, del\u007f, vt\u000b',
      '=SUM(A1)',
      ' spaced ',
      'émigré 💸 ÆØÅ',
      null,
      '',
    ];
    const cents = [0, 1, -1, 12345, -50, 99_999_999, 7, 1000];
    const items: Mixed[] = Array.from({ length: 60 }, (_, i) => ({
      text: texts[i % texts.length]!,
      cents: cents[i % cents.length]!,
      at: new Date(Date.UTC(2025, 0, 1) + i * 37 * 3_600_000).toISOString(),
      seq: i % 3 === 0 ? null : i * 1001,
      other: i % 4 === 0 ? `row ${i}` : null,
    }));
    // A row of blanks but its date and amount, and the first row starting with a blank seq.
    items.unshift({ text: null, cents: 0, at: '2026-03-08T07:30:00.000Z', seq: null, other: null });

    const ours = new PassThrough();
    const ourBytes = collect(ours);
    await writeXlsx(ours, 'Rows', mixed, pagesOf(items.slice(0, 25), items.slice(25), []));

    // ExcelJS alone, as writeXlsx wrote every row before: a Row per item, a style object per kind.
    const reference = new PassThrough();
    const referenceBytes = collect(reference);
    await exceljsWorkbook(reference, mixed, items);

    const [a, b] = await Promise.all([JSZip.loadAsync(await ourBytes), JSZip.loadAsync(await referenceBytes)]);
    expect(Object.keys(a.files).sort()).toEqual(Object.keys(b.files).sort());
    for (const name of ['xl/worksheets/sheet1.xml', 'xl/styles.xml', 'xl/workbook.xml']) {
      const [mine, theirs] = await Promise.all([a.file(name)!.async('string'), b.file(name)!.async('string')]);
      expect(mine, name).toBe(theirs);
    }
    expect(await a.file('xl/worksheets/sheet1.xml')!.async('string')).toContain('<row r="62" spans="1:5"');
  });

  it('encodes XML and names columns as ExcelJS does', () => {
    expect(xmlEncode('a & b < c > d "e" \'f\'')).toBe('a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;');
    expect(xmlEncode('x\u0000\u0008\t\n\u000b\u000c\r\u000e\u001f\u007fy')).toBe('x\t\n\ry');
    expect(xmlEncode('plain')).toBe('plain');
    expect(xmlEncode('&')).toBe('&amp;');
    expect(xmlEncode('<start and end>')).toBe('&lt;start and end&gt;');
    expect(xmlEncode('\u0001')).toBe('');
    expect([1, 17, 26, 27, 52, 53, 702, 703].map(columnLetters)).toEqual([
      'A',
      'Q',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});

/** The workbook writeXlsx made before it wrote rows itself, through ExcelJS's Row and Cell objects. */
async function exceljsWorkbook<T>(
  out: Writable,
  columns: readonly XlsxColumn<T>[],
  items: readonly T[],
): Promise<void> {
  const plain = Object.freeze({});
  const styleOf = {
    text: plain,
    number: plain,
    money: Object.freeze({ numFmt: CURRENCY_FORMAT }),
    date: Object.freeze({ numFmt: DATE_FORMAT }),
  };
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Rows', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({ key: `c${i}`, width: c.width }));
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  for (const item of items) {
    const row = sheet.addRow(
      columns.map((c) => {
        const value = c.value(item);
        if (c.kind === 'text') return value === null || value === '' ? null : safeCellText(value as string);
        if (c.kind === 'money') return centsToDollars(value as number);
        return value;
      }),
    );
    columns.forEach((c, i) => {
      row.getCell(i + 1).style = styleOf[c.kind];
    });
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
}
