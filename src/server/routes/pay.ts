import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findPublicPage } from '../../usecases/pay/find-public-page.ts';
import { lookUpInvoices } from '../../usecases/pay/look-up-invoices.ts';
import { payOnPage } from '../../usecases/pay/pay-on-page.ts';
import { payPaymentLink } from '../../usecases/pay/pay-payment-link.ts';
import { viewPaymentLink } from '../../usecases/pay/view-payment-link.ts';
import { payQuickLink } from '../../usecases/quick-links/pay-quick-link.ts';
import { viewQuickLink } from '../../usecases/quick-links/view-quick-link.ts';
import { account, positiveCents, processorToken, requiredText } from '../../contract/fields.ts';
import { paymentOut } from '../../contract/payments.ts';
import { allocationOut } from '../../contract/records.ts';
import type { RouteDeps } from './index.ts';

const slugParam = z.object({ slug: z.string().max(100) });
const tokenParam = z.object({ token: z.string().max(200) });
const payer = { payerName: requiredText(200), payerEmail: z.email().max(320).optional() };
const lookup = {
  clientNumber: requiredText(64),
  invoiceNumber: requiredText(64).optional(),
  matterNumber: requiredText(64).optional(),
};
const method = z.enum(['card', 'echeck']);

// The answers are exported for the payer's pages, which take their types from them (type-only).
export const publicPageOut = z.object({ firmName: z.string(), pageName: z.string(), slug: z.string(), account, surchargeBps: z.number(), enabled: z.boolean() });

export const lookupOut = z.object({
  clientNumber: z.string(),
  clientName: z.string(),
  matterNumber: z.string().nullable(),
  matterDescription: z.string().nullable(),
  invoices: z.array(z.object({ invoiceNumber: z.string(), matterNumber: z.string(), invoiceDate: z.string(), totalCents: z.number(), balanceCents: z.number() })),
});

export const receiptOut = z.object({
  paymentId: z.string(),
  processorId: z.string(),
  processedAt: z.string(),
  firmName: z.string(),
  pageName: z.string(),
  payerName: z.string(),
  account,
  method,
  brand: z.string(),
  last4: z.string(),
  receiptCents: z.number().describe('what is applied to the invoices or held in trust'),
  surchargeCents: z.number(),
  amountCents: z.number().describe('what was charged: receipt plus surcharge'),
  allocations: z.array(allocationOut),
});
const linkPaymentOut = z.object({ payment: paymentOut, brand: z.string(), last4: z.string(), method });
export const paymentLinkPaidOut = linkPaymentOut.extend({ postingRecordId: z.string().nullable(), allocations: z.array(allocationOut) });
export const quickLinkPaidOut = linkPaymentOut.extend({ description: z.string() });

export const paymentLinkViewOut = z.object({
  firmName: z.string(),
  amountCents: z.number(),
  allocations: z.array(allocationOut),
  payerName: z.string().nullable(),
  status: z.enum(['outstanding', 'paid']),
  expiresAt: z.string(),
});

export const quickLinkViewOut = z.object({
  firmName: z.string(),
  amountCents: z.number(),
  description: z.string(),
  payerName: z.string().nullable(),
  status: z.enum(['outstanding', 'paid']),
  expiresAt: z.string(),
});

/**
 * What a payer's browser calls: public, rate-limited per address, and each answer holds
 * only what the payer already proved they know (a page's slug, a link's secret token, a
 * client number with one of its invoice or matter numbers).
 */
export function payRoutes({ db, config, processor }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const limited = { access: 'public' as const, anonymous: true, rateLimit: { max: config.payRequestsPerMinute, timeWindow: 60_000 } };

    app.get('/pay/:slug', {
      config: limited,
      schema: {
        summary: 'A payment page: the firm, the page, its account and surcharge (a disabled page is 404)',
        params: slugParam,
        response: { 200: publicPageOut },
      },
    }, async (request) => {
      const page = await findPublicPage(db, request.params.slug);
      return { firmName: page.firmName, pageName: page.name, slug: page.slug, account: page.account, surchargeBps: page.surchargeBps, enabled: page.enabled };
    });

    app.post('/pay/:slug/lookup', {
      config: limited,
      schema: {
        summary: "A client's open invoices, given the client number and one of its invoice or matter numbers",
        params: slugParam,
        body: z.object(lookup).strict(),
        response: { 200: lookupOut },
      },
    }, async (request) => lookUpInvoices(db, await findPublicPage(db, request.params.slug), request.body));

    app.post('/pay/:slug/payments', {
      config: limited,
      schema: {
        summary: 'Pay on a payment page: invoices in full or in part (operating) or an amount for the matter (trust); a decline is 402 and makes nothing',
        params: slugParam,
        body: z
          .object({
            ...lookup,
            ...payer,
            token: processorToken,
            allocations: z.array(z.object({ invoiceNumber: requiredText(64), amountCents: positiveCents }).strict()).min(1).max(50).optional(),
            amountCents: positiveCents.optional(),
          })
          .strict(),
        response: { 201: receiptOut },
      },
    }, async (request, reply) => reply.code(201).send(await payOnPage(db, processor, request.params.slug, request.body)));

    app.get('/pay/link/:token', {
      config: limited,
      schema: {
        summary: 'A payment link from Make A Payment: the invoices and amount (expired or cancelled: 410)',
        params: tokenParam,
        response: { 200: paymentLinkViewOut },
      },
    }, async (request) => {
      const view = await viewPaymentLink(db, request.params.token);
      return { ...view, status: view.status === 'paid' ? ('paid' as const) : ('outstanding' as const) };
    });

    app.post('/pay/link/:token', {
      config: limited,
      schema: {
        summary: 'Pay a payment link once (origin connect, the chosen allocations); 410 once expired, 409 once paid',
        params: tokenParam,
        body: z.object({ ...payer, token: processorToken }).strict(),
        response: { 201: paymentLinkPaidOut },
      },
    }, async (request, reply) => reply.code(201).send(await payPaymentLink(db, processor, request.params.token, request.body)));

    app.get('/pay/quick/:token', {
      config: limited,
      schema: {
        summary: 'A quick link (Send For Payment): amount and description (expired or cancelled: 410)',
        params: tokenParam,
        response: { 200: quickLinkViewOut },
      },
    }, async (request) => {
      const view = await viewQuickLink(db, request.params.token);
      return { ...view, status: view.status === 'paid' ? ('paid' as const) : ('outstanding' as const) };
    });

    app.post('/pay/quick/:token', {
      config: limited,
      schema: {
        summary: 'Pay a quick link once (origin quick_link); 410 once expired or cancelled, 409 once paid',
        params: tokenParam,
        body: z.object({ ...payer, token: processorToken }).strict(),
        response: { 201: quickLinkPaidOut },
      },
    }, async (request, reply) => reply.code(201).send(await payQuickLink(db, processor, request.params.token, request.body)));
  };
}
