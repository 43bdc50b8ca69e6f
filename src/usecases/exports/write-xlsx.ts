import type { ListSortParam } from '../../domain/paging.ts';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Db } from '../../db/connect.ts';
import { readTimeZone } from '../../db/firms.ts';
import {
  CURRENCY_FORMAT,
  DATE_FORMAT,
  centsToDollars,
  exportFileName,
  safeCellText,
  type XlsxColumn,
} from '../../domain/spreadsheet.ts';

/**
 * The styles of data cells, frozen since every cell of their kind shares them. Plain text
 * and numbers get style id 0 (General) whatever their type, as a fresh empty style would.
 */
const PLAIN: Partial<ExcelJS.Style> = Object.freeze({});
const STYLE_OF: Record<XlsxColumn<unknown>['kind'], Partial<ExcelJS.Style>> = {
  text: PLAIN,
  number: PLAIN,
  money: Object.freeze({ numFmt: CURRENCY_FORMAT }),
  date: Object.freeze({ numFmt: DATE_FORMAT }),
};

/** An export whose inputs are already checked: only the streaming is left to do. */
export interface XlsxExport {
  fileName: string;
  write(out: Writable): Promise<void>;
}

export class ExportAborted extends Error {
  constructor() {
    super('the download was closed before the export finished');
    this.name = 'ExportAborted';
  }
}

/**
 * Streams one worksheet to `out`, a page of rows at a time. Each row is committed as it
 * is added, so ExcelJS keeps none of them; and before the next page is read we wait for
 * the reader to catch up, so a slow download holds a page or so in memory, not the
 * whole view. If `out` closes early (the client went away) this rejects instead of
 * waiting for a drain or a zip end that will never come.
 */
export async function writeXlsx<T>(
  out: Writable,
  sheetName: string,
  columns: readonly XlsxColumn<T>[],
  pages: AsyncIterable<T[]>,
): Promise<void> {
  const aborted = abortedWhenClosed(out);
  const until = <R>(work: Promise<R>): Promise<R> => Promise.race([work, aborted]);

  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({ key: `c${i}`, width: c.width }));
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();

  const styles = columns.map((c) => STYLE_OF[c.kind]);
  const rows = rowWriter(workbook, sheet, styles);
  for await (const page of pages) {
    if (out.destroyed) throw new ExportAborted();
    rows.write(page.map((item) => columns.map((c) => cellValue(c, item))));
    // Rows reach `out` through ExcelJS's zip, which compresses off the main thread and
    // takes no backpressure itself: give it a turn of the event loop, then let a slow
    // reader set the pace.
    await until(nextTurn());
    if (out.writableNeedDrain) await until(drained(out));
  }
  rows.end();
  sheet.commit();
  await until(workbook.commit());
}

type CellValue = string | number | Date | null;

/** Writes data rows, each a value per column, in order after the header. */
interface RowWriter {
  write(rows: readonly (readonly CellValue[])[]): void;
  end(): void;
}

/**
 * ExcelJS's streaming worksheet as of 4.4, the parts the row writer uses: the stream its
 * rows' XML goes to, the number of the next row, the rows not yet written, and the
 * workbook's styles.
 */
interface SheetInternals {
  stream?: { write(text: string): unknown };
  _rowZero?: unknown;
  _rows?: unknown;
}
interface WorkbookInternals {
  styles?: { addStyleModel?(style: Partial<ExcelJS.Style>, cellType?: number): number };
}

/**
 * The data rows, written as ExcelJS writes them, without its objects. ExcelJS makes a
 * Row and a Cell per value, a model of each, and renders them node by node through its
 * XmlStream, about half of the export's CPU on 100,000 rows (issue 18). The sheet XML of a
 * row of text, numbers, dates and blanks is simple: this renders the same characters
 * (RowXform and CellXform: `spans`, `x14ac:dyDescent`, `t="str"` text, dates as Excel
 * serial days, blanks only where their style is not the default, XML-escaped as
 * utils.xmlEncode does), and asks the workbook's styles for each cell's style id in the
 * order ExcelJS would, so styles.xml is the same too (write-xlsx.test.ts compares both
 * with ExcelJS's own rows). Where the worksheet is not as expected (another ExcelJS), the
 * rows go through ExcelJS as before.
 */
function rowWriter(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  sheet: ExcelJS.Worksheet,
  styles: readonly Partial<ExcelJS.Style>[],
): RowWriter {
  const internals = sheet as unknown as SheetInternals;
  const styleRegistry = (workbook as unknown as WorkbookInternals).styles;
  const direct =
    typeof internals.stream?.write === 'function' &&
    typeof internals._rowZero === 'number' &&
    Array.isArray(internals._rows) &&
    internals._rows.length === 0 &&
    typeof styleRegistry?.addStyleModel === 'function';
  if (!direct) return exceljsRows(sheet, styles);
  const stream = internals.stream!;
  const addStyleModel = styleRegistry.addStyleModel!.bind(styleRegistry);
  const letters = styles.map((_, i) => columnLetters(i + 1));
  const spans = ` spans="1:${styles.length}" x14ac:dyDescent="0.25">`;
  let next = internals._rowZero as number;
  let first = true;
  return {
    write(rows) {
      const parts: string[] = [];
      for (const values of rows) {
        const r = next;
        next += 1;
        if (first) {
          // A row's own style, a fresh {} on every ExcelJS row: registered once, as the
          // first row registers it (the same id every time after).
          addStyleModel({});
          first = false;
        }
        let cells = '';
        let hasValues = false;
        for (const [i, value] of values.entries()) {
          const type = typeOfValue(value);
          const styleId = addStyleModel(styles[i]!, type);
          const s = styleId ? ` s="${styleId}"` : '';
          if (value === null) {
            if (styleId) cells += `<c r="${letters[i]}${r}"${s}/>`;
            continue;
          }
          hasValues = true;
          if (typeof value === 'string') cells += `<c r="${letters[i]}${r}"${s} t="str"><v>${xmlEncode(value)}</v></c>`;
          else if (typeof value === 'number')
            cells += `<c r="${letters[i]}${r}"${s}><v>${xmlEncode(value.toString())}</v></c>`;
          else cells += `<c r="${letters[i]}${r}"${s}><v>${excelDate(value).toString()}</v></c>`;
        }
        // ExcelJS writes no row whose cells are all blank.
        if (hasValues) parts.push(`<row r="${r}"${spans}${cells}</row>`);
      }
      if (parts.length) stream.write(parts.join(''));
      internals._rowZero = next;
    },
    end() {
      internals._rowZero = next;
    },
  };
}

/** The rows through ExcelJS's own Row and Cell objects. */
function exceljsRows(sheet: ExcelJS.Worksheet, styles: readonly Partial<ExcelJS.Style>[]): RowWriter {
  return {
    write(rows) {
      for (const values of rows) {
        const row = sheet.addRow([...values]);
        // One style object per kind, shared by every row and cell: ExcelJS renders a style
        // to XML to find its id unless it has seen that very object before, and a fresh
        // `{}` per cell made that one render per cell (a third of the export's CPU).
        styles.forEach((style, i) => {
          row.getCell(i + 1).style = style;
        });
        row.commit();
      }
    },
    end() {},
  };
}

function typeOfValue(value: CellValue): number {
  if (value === null) return ExcelJS.ValueType.Null;
  if (typeof value === 'string') return ExcelJS.ValueType.String;
  if (typeof value === 'number') return ExcelJS.ValueType.Number;
  return ExcelJS.ValueType.Date;
}

/** "A", "Z", "AA": a column's letters from its number (1 = A). */
export function columnLetters(n: number): string {
  let letters = '';
  for (let rest = n; rest > 0; rest = Math.floor((rest - 1) / 26))
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}

/** Excel's serial day of a Date, as ExcelJS's utils.dateToExcel computes it (not 1904-based). */
function excelDate(d: Date): number {
  return 25569 + d.getTime() / (24 * 3600 * 1000) - 0;
}

/** ExcelJS's utils.xmlEncode: the five entities, and control characters XML cannot hold left out. */
export function xmlEncode(text: string): string {
  let result = '';
  let lastIndex = 0;
  let i = 0;
  for (; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    // Nothing to do for most characters: letters, digits, spaces, and anything above DEL.
    if (code > 62 && code !== 127) continue;
    let escape: string;
    switch (code) {
      case 34:
        escape = '&quot;';
        break;
      case 38:
        escape = '&amp;';
        break;
      case 39:
        escape = '&apos;';
        break;
      case 60:
        escape = '&lt;';
        break;
      case 62:
        escape = '&gt;';
        break;
      case 127:
        escape = '';
        break;
      default:
        if (code <= 31 && (code <= 8 || (code >= 11 && code !== 13))) {
          escape = '';
          break;
        }
        continue;
    }
    if (lastIndex !== i) result += text.substring(lastIndex, i);
    lastIndex = i + 1;
    result += escape;
  }
  if (lastIndex === 0) return text;
  if (lastIndex !== i) return result + text.substring(lastIndex, i);
  return result;
}

function cellValue<T>(column: XlsxColumn<T>, item: T): string | number | Date | null {
  switch (column.kind) {
    case 'text': {
      const text = column.value(item);
      return text === null || text === '' ? null : safeCellText(text);
    }
    case 'money':
      return centsToDollars(column.value(item));
    case 'date':
      return column.value(item);
    case 'number':
      return column.value(item);
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => out.once('drain', resolve));
}

function abortedWhenClosed(out: Writable): Promise<never> {
  const promise = new Promise<never>((_, reject) => {
    out.once('close', () => {
      if (!out.writableFinished) reject(new ExportAborted());
    });
  });
  // Nobody may be racing it when the stream closes; the rejection is seen through `until`.
  promise.catch(() => undefined);
  return promise;
}

/** One page of a keyset-paged list and the cursor of the next. */
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Every page of a keyset-paged list. The next page is read while the current one is
 * written, so the database and the workbook work at the same time; at most two pages
 * are held, whatever the size of the list.
 */
export async function* keysetPages<T>(first: Page<T>, next: (cursor: string) => Promise<Page<T>>): AsyncGenerator<T[]> {
  let page = first;
  while (page.nextCursor) {
    const coming = next(page.nextCursor);
    // If the writer stops early (the download was closed), the read still settles quietly.
    coming.catch(() => undefined);
    yield page.items;
    page = await coming;
  }
  yield page.items;
}

/** How an export reads its list: a page after `cursor`, in the order the screen shows (newest first unless sorted). */
export interface Keyset {
  cursor: string | undefined;
  limit: number;
  sort: ListSortParam;
}

/** What makes a list's Excel export: its name, its sheet and columns, and how to read one page. */
export interface ListExport<T> {
  fileParts: string[];
  sheet: string;
  columns: (timeZone: string) => readonly XlsxColumn<T>[];
  /** Rows a read: the list is read a page at a time by its own keyset, never the whole of it at once. */
  pageSize: number;
  page: (keyset: Keyset) => Promise<Page<T>>;
  /** The screen's order, which the rows follow: newest first when not given. */
  sort?: ListSortParam | undefined;
}

/**
 * Export to Excel of a keyset-paged list, in the screen's order. The first page is
 * read before anything is sent, so a bad filter or cursor still answers bad_request rather
 * than a broken download; the rest is read a page at a time while the workbook streams.
 */
export async function exportList<T>(db: Db, firmId: string, now: Date, list: ListExport<T>): Promise<XlsxExport> {
  const page = (cursor: string | undefined) => list.page({ cursor, limit: list.pageSize, sort: list.sort ?? 'desc' });
  const first = await page(undefined);
  const timeZone = await readTimeZone(db, firmId);
  return {
    fileName: exportFileName(list.fileParts, now, timeZone),
    write: (out) => writeXlsx(out, list.sheet, list.columns(timeZone), keysetPages(first, page)),
  };
}
