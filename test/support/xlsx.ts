import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';

/** Opens a downloaded workbook with ExcelJS's reader and returns its first sheet. */
export async function readWorkbook(res: LightMyRequestResponse): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  // ExcelJS types its input as an ArrayBuffer; copying gives one that is not shared.
  await workbook.xlsx.load(new Uint8Array(res.rawPayload).buffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('the workbook has no sheet');
  return sheet;
}

/** Every row below the header as an array of cell values, column 1 first. */
export function dataRows(sheet: ExcelJS.Worksheet): ExcelJS.CellValue[][] {
  const rows: ExcelJS.CellValue[][] = [];
  sheet.eachRow((row, n) => {
    if (n > 1) rows.push(Array.from({ length: sheet.columnCount }, (_, i) => row.getCell(i + 1).value));
  });
  return rows;
}

export function headerOf(sheet: ExcelJS.Worksheet): ExcelJS.CellValue[] {
  const row = sheet.getRow(1);
  return Array.from({ length: sheet.columnCount }, (_, i) => row.getCell(i + 1).value);
}
