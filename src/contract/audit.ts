import { z } from 'zod';
import { endpoint } from './endpoint.ts';
import { isoDate, text } from './fields.ts';
import { XLSX_TYPE } from './exports.ts';

/** The firm's audit log (issue 15): every audit event, for admins. */

export const auditFilters = z.object({
  actor: text(200)
    .optional()
    .describe("the actor's label as the log shows it (a user's email, the agent's label, system)"),
  action: text(100).optional(),
  from: isoDate.optional().describe("the first day, in the firm's time zone"),
  to: isoDate.optional().describe("the last day, in the firm's time zone"),
});

export const auditEventOut = z.object({
  id: z.string(),
  at: z.string(),
  actorKind: z.enum(['user', 'agent', 'system']),
  actorLabel: z.string(),
  action: z.string(),
  recordId: z.string().nullable(),
  batchId: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  detail: z.unknown(),
});

export const getAuditEvents = endpoint({
  method: 'GET',
  path: '/audit-events',
  access: 'admin',
  summary: "The firm's audit log, newest first, keyset paged",
  query: auditFilters.extend({
    cursor: text(40).optional(),
    limit: z.coerce.number<number>().int().min(1).max(500).default(50),
  }),
  response: z.object({ items: z.array(auditEventOut), nextCursor: z.string().nullable() }),
});

export const getAuditActions = endpoint({
  method: 'GET',
  path: '/audit-events/actions',
  access: 'admin',
  summary: 'The actions and actors the firm’s log holds, for its filters',
  response: z.object({ actions: z.array(z.string()), actors: z.array(z.string()) }),
});

export const exportAuditEventsXlsx = endpoint({
  method: 'GET',
  path: '/audit-events/export.xlsx',
  access: 'admin',
  summary: 'Export to Excel: the audit log under its filters, streamed',
  query: auditFilters,
  produces: [XLSX_TYPE],
  response: z.unknown().describe(`the workbook (${XLSX_TYPE})`),
});
