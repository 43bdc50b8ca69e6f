import { z } from 'zod';
import { INVOICE_STATUSES } from '../domain/types.ts';

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
  availableCents: z.number().describe('the balance less what pending and queued records already apply; negative when over-applied'),
  status: z.enum(INVOICE_STATUSES),
});
