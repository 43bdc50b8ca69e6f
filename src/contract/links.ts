import { z } from 'zod';
import { account } from './fields.ts';
import { allocationOut } from './records.ts';

/** Payment links and quick links (Send For Payment): the firm's view, never a link's token but once. */

/** Link statuses as shown: "expired" is an outstanding link past its time. */
export const LINK_STATUSES = ['outstanding', 'paid', 'cancelled', 'expired'] as const;

const linkBase = z.object({
  id: z.string(),
  amountCents: z.number(),
  allocations: z.array(allocationOut),
  payerName: z.string().nullable(),
  payerEmail: z.string().nullable(),
  status: z.enum(LINK_STATUSES),
  createdAt: z.string(),
  expiresAt: z.string(),
});

/** A payment link in the firm's list: never its token. */
export const paymentLinkOut = linkBase.extend({ paymentId: z.string().nullable(), createdBy: z.string(), paidAt: z.string().nullable() });

const payerPath = z.string().describe('the payer opens this path of the web app');

/** A payment link just made: its token is in this answer only. */
export const createdPaymentLinkOut = linkBase.extend({ token: z.string(), path: payerPath });

export const quickLinkOut = z.object({
  id: z.string(),
  amountCents: z.number(),
  description: z.string(),
  account,
  payerName: z.string().nullable(),
  payerEmail: z.string().nullable(),
  status: z.enum(LINK_STATUSES),
  paymentId: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  paidAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
});

/** A quick link just made: its token is in this answer only. */
export const createdQuickLinkOut = quickLinkOut.extend({ token: z.string(), path: payerPath });
