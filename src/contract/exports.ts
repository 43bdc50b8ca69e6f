import { z } from 'zod';
import { PAYMENT_STATUSES } from '../domain/types.ts';
import { VIEWS } from '../domain/views.ts';
import { endpoint } from './endpoint.ts';
import { listFilters, listSortParam } from './fields.ts';

/** Export to Excel (SPEC §9): a list under its filters, as a workbook streamed to the browser. */

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const workbook = z.unknown().describe(`the workbook (${XLSX_TYPE})`);

export const exportPostingsQuery = listFilters.extend({
  view: z.enum(VIEWS).default('pending_incomplete'),
  sort: listSortParam,
});
export const exportPaymentsQuery = listFilters.extend({
  status: z.enum(PAYMENT_STATUSES).optional(),
  sort: listSortParam,
});

export const exportPostingsXlsx = endpoint({
  method: 'GET',
  path: '/postings/export.xlsx',
  access: 'user',
  summary: 'Export to Excel: the current Manage Postings view under its filters, streamed',
  query: exportPostingsQuery,
  produces: [XLSX_TYPE],
  response: workbook,
});

export const exportPaymentsXlsx = endpoint({
  method: 'GET',
  path: '/payments/export.xlsx',
  access: 'user',
  summary: 'Export to Excel: the Payment Manager under its filters, streamed',
  query: exportPaymentsQuery,
  produces: [XLSX_TYPE],
  response: workbook,
});
