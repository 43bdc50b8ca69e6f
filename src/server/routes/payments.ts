import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PAYMENT_STATUSES } from '../../domain/types.ts';
import { actorOf } from '../../domain/actor.ts';
import { listPayments } from '../../usecases/payments/list-payments.ts';
import { reversePaymentAtProcessor } from '../../usecases/payments/reverse-payment-at-processor.ts';
import { takePayment } from '../../usecases/payments/take-payment.ts';
import { requirePrincipal } from '../auth.ts';
import { idParam, listFilters, paymentIn } from '../../contract/fields.ts';
import type { RouteDeps } from './index.ts';
import { paymentOut } from '../../contract/payments.ts';
import { postingRecord } from '../../contract/postings.ts';


export function paymentRoutes({ db, processor }: RouteDeps): FastifyPluginAsync {
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
        summary: 'Void, refund or charge back a payment (SPEC §3.5); a void or refund is made at the processor first',
        params: idParam,
        body: z.object({ kind: z.enum(['void', 'refund', 'chargeback']) }).strict(),
        response: {
          200: z.object({
            payment: paymentOut,
            reversal: postingRecord.nullable(),
            processorAction: z.enum(['refunded', 'voided', 'none']).describe('none: a chargeback, or a payment this processor did not make'),
          }),
        },
      },
    }, async (request) => {
      const principal = requirePrincipal(request);
      return reversePaymentAtProcessor(db, processor, principal.firmId, actorOf(principal), request.params.id, request.body.kind);
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
