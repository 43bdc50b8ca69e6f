import type { Db } from '../../db/connect.ts';
import { firmDayCell, type XlsxColumn } from '../../domain/spreadsheet.ts';
import { exportList, type XlsxExport } from '../exports/write-xlsx.ts';
import { listAuditEvents, type AuditEventView, type AuditFilters } from './list-audit-events.ts';

const EXPORT_PAGE_SIZE = 1000;

/** The time of day in the firm's zone, beside the date column. */
function firmTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

export const auditColumns = (timeZone: string): readonly XlsxColumn<AuditEventView>[] => [
  { header: 'Date', width: 12, kind: 'date', value: (e) => firmDayCell(e.at, timeZone) },
  { header: 'Time', width: 10, kind: 'text', value: (e) => firmTime(e.at, timeZone) },
  { header: 'Actor', width: 28, kind: 'text', value: (e) => e.actorLabel },
  { header: 'Actor kind', width: 10, kind: 'text', value: (e) => e.actorKind },
  { header: 'Action', width: 26, kind: 'text', value: (e) => e.action },
  { header: 'From', width: 12, kind: 'text', value: (e) => e.from },
  { header: 'To', width: 12, kind: 'text', value: (e) => e.to },
  { header: 'Posting record id', width: 38, kind: 'text', value: (e) => e.recordId },
  { header: 'Batch id', width: 38, kind: 'text', value: (e) => e.batchId },
  {
    header: 'Detail',
    width: 60,
    kind: 'text',
    value: (e) => (e.detail === null || e.detail === undefined ? null : JSON.stringify(e.detail).slice(0, 32_000)),
  },
  { header: 'Event id', width: 12, kind: 'text', value: (e) => e.id },
];

/** Export to Excel of the audit log under its filters, paged and streamed like the other exports. */
export async function exportAuditEvents(
  db: Db,
  firmId: string,
  filters: AuditFilters,
  now = new Date(),
): Promise<XlsxExport> {
  return exportList(db, firmId, now, {
    fileParts: ['audit-log'],
    sheet: 'Audit log',
    columns: auditColumns,
    pageSize: EXPORT_PAGE_SIZE,
    page: ({ cursor, limit }) => listAuditEvents(db, firmId, { ...filters, cursor, limit }),
  });
}
