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
  for await (const page of pages) {
    if (out.destroyed) throw new ExportAborted();
    for (const item of page) {
      const row = sheet.addRow(columns.map((c) => cellValue(c, item)));
      // One style object per kind, shared by every row and cell: ExcelJS renders a style
      // to XML to find its id unless it has seen that very object before, and a fresh
      // `{}` per cell made that one render per cell (a third of the export's CPU).
      styles.forEach((style, i) => {
        row.getCell(i + 1).style = style;
      });
      row.commit();
    }
    // Rows reach `out` through ExcelJS's zip, which compresses off the main thread and
    // takes no backpressure itself: give it a turn of the event loop, then let a slow
    // reader set the pace.
    await until(nextTurn());
    if (out.writableNeedDrain) await until(drained(out));
  }
  sheet.commit();
  await until(workbook.commit());
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
