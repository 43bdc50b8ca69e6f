import { z } from 'zod';
import { INVOICE_STATUSES } from '../domain/types.ts';
import { endpoint } from './endpoint.ts';
import { text } from './fields.ts';

/** The firm's synced invoices, as Reallocate Payment and Make A Payment search them. */

export const invoiceOut = z.object({
  invoiceNumber: z.string(),
  clientNumber: z.string(),
  clientName: z.string(),
  matterNumber: z.string(),
  matterDescription: z.string(),
  invoiceDate: z.string(),
  totalCents: z.number(),
  balanceCents: z.number(),
  availableCents: z
    .number()
    .describe('the balance less what pending and queued records already apply; negative when over-applied'),
  status: z.enum(INVOICE_STATUSES),
});

export const searchInvoicesEndpoint = endpoint({
  method: 'GET',
  path: '/invoices',
  access: 'user',
  summary: 'Search invoices by number, client or matter (for Reallocate Payment); open ones first',
  query: z.object({
    q: text(200).optional(),
    status: z.enum(INVOICE_STATUSES).optional(),
    limit: z.coerce.number<number>().int().min(1).max(100).default(20),
  }),
  response: z.object({ items: z.array(invoiceOut) }),
});
