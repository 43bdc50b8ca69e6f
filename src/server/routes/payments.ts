import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PAYMENT_STATUSES } from '../../domain/types.ts';
import { actorOf } from '../../usecases/auth/principal.ts';
import { listPayments } from '../../usecases/payments/list-payments.ts';
import { reversePayment } from '../../usecases/payments/reverse-payment.ts';
import { takePayment } from '../../usecases/payments/take-payment.ts';
import { requirePrincipal } from '../auth.ts';
import { account, allocationIn, cents, idParam, listFilters, method, origin, positiveCents, requiredText, text } from '../schemas.ts';
import type { RouteDeps } from './index.ts';
import { paymentOut, postingRecord } from '../views.ts';


const paymentIn = z
  .object({
    processorId: requiredText(100),
    origin,
    paymentPageId: z.string().max(100).optional(),
    amountCents: positiveCents,
    surchargeCents: cents.refine((v) => v >= 0, { message: 'must not be negative' }).optional(),
    method,
    cardBrand: text(30).optional(),
    last4: z.string().regex(/^\d{4}$/, 'must be the last 4 digits').optional(),
    account,
    payerName: requiredText(200),
    payerEmail: z.email().max(320).optional(),
    invoiceNumbers: z.array(requiredText(64)).max(50).optional(),
    allocations: z.array(allocationIn).min(1).max(50).optional(),
    clientNumber: requiredText(64).optional(),
    matterNumber: requiredText(64).optional(),
    processedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

export function paymentRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post('/payments', {
      config: { access: 'accountant' },
      schema: {
        summary: 'Take in a payment; idempotent on processorId (201 when new, 200 for a repeat)',
        body: paymentIn,
        response: { 200: z.object({ payment: paymentOut, postingRecord: postingRecord.nullable() }), 201: z.object({ payment: paymentOut, postingRecord: postingRecord.nullable() }) },
      },
    }, async (request, reply) => {
      const principal = requirePrincipal(request);
      const result = await takePayment(db, principal.firmId, actorOf(principal), request.body);
      return reply.code(result.created ? 201 : 200).send({ payment: result.payment, postingRecord: result.postingRecord });
    });

    app.post('/payments/:id/reverse', {
      config: { access: 'accountant' },
      schema: {
        summary: 'Void, refund or charge back a payment (SPEC §3.5)',
        params: idParam,
        body: z.object({ kind: z.enum(['void', 'refund', 'chargeback']) }).strict(),
        response: { 200: z.object({ payment: paymentOut, reversal: postingRecord.nullable() }) },
      },
    }, async (request) => {
      const principal = requirePrincipal(request);
      return reversePayment(db, principal.firmId, actorOf(principal), request.params.id, request.body.kind);
    });

    app.get('/payments', {
      config: { access: 'user' },
      schema: {
        summary: 'Payment Manager: every payment of every origin',
        querystring: listFilters.extend({
          status: z.enum(PAYMENT_STATUSES).optional(),
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          sort: z.enum(['asc', 'desc']).default('desc'),
        }),
        response: { 200: z.object({ items: z.array(paymentOut), nextCursor: z.string().nullable() }) },
      },
    }, async (request) => listPayments(db, requirePrincipal(request).firmId, request.query));
  };
}
