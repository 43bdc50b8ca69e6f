import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../domain/actor.ts';
import { createPaymentLink } from '../../usecases/pay/create-payment-link.ts';
import { enterPayment } from '../../usecases/pay/enter-payment.ts';
import { listPaymentLinks } from '../../usecases/pay/list-payment-links.ts';
import { makeConnectPayment } from '../../usecases/pay/make-connect-payment.ts';
import { requirePrincipal } from '../auth.ts';
import { account, positiveCents, processorToken, requiredText } from '../../contract/fields.ts';
import { createdPaymentLinkOut, paymentLinkOut } from '../../contract/links.ts';
import { paymentOut } from '../../contract/payments.ts';
import { connectPaymentOut } from '../../contract/staff-payments.ts';
import type { RouteDeps } from './index.ts';

const payer = { payerName: requiredText(200), payerEmail: z.email().max(320).optional() };
const byHand = z.object({ invoiceNumber: requiredText(64), amountCents: positiveCents }).strict();

/** Make A Payment's invoice choice: by hand, or an amount auto-applied oldest first. */
function withAllocationChoice<T extends z.ZodRawShape>(shape: T) {
  return z.union([
    z.object({ ...shape, allocations: z.array(byHand).min(1).max(50) }).strict(),
    z.object({ ...shape, autoApply: z.literal(true), invoiceNumbers: z.array(requiredText(64)).min(1).max(50), amountCents: positiveCents }).strict(),
  ]);
}

function choiceOf(body: { allocations: { invoiceNumber: string; amountCents: number }[] } | { invoiceNumbers: string[]; amountCents: number }) {
  return 'allocations' in body ? { allocations: body.allocations } : { autoApply: { invoiceNumbers: body.invoiceNumbers, amountCents: body.amountCents } };
}

/** Staff taking payments: Make A Payment (pay now or send a link) and Enter Payment. */
export function staffPaymentRoutes({ db, processor }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post('/connect-payments', {
      config: { access: 'accountant' },
      schema: {
        summary: 'Make A Payment: pay chosen invoices by card or eCheck now (origin connect); a split that would not post cleanly is 422 and charges nothing',
        body: withAllocationChoice({ ...payer, token: processorToken }),
        response: { 201: connectPaymentOut },
      },
    }, async (request, reply) => {
      const principal = requirePrincipal(request);
      const { token, payerName, payerEmail } = request.body;
      const result = await makeConnectPayment(db, processor, principal.firmId, actorOf(principal), { token, payerName, payerEmail, ...choiceOf(request.body) });
      return reply.code(201).send(result);
    });

    app.post('/payment-links', {
      config: { access: 'accountant', answerHoldsSecret: true },
      schema: {
        summary: 'Make A Payment: a link to pay the chosen invoices, valid 24 hours; its token is in this answer only',
        body: withAllocationChoice({ payerName: requiredText(200).optional(), payerEmail: z.email().max(320).optional() }),
        response: { 201: createdPaymentLinkOut },
      },
    }, async (request, reply) => {
      const principal = requirePrincipal(request);
      const { payerName, payerEmail } = request.body;
      return reply.code(201).send(await createPaymentLink(db, principal.firmId, actorOf(principal), { payerName, payerEmail, ...choiceOf(request.body) }));
    });

    app.get('/payment-links', {
      config: { access: 'user' },
      schema: {
        summary: "The firm's payment links, newest first, never their tokens",
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ items: z.array(paymentLinkOut) }) },
      },
    }, async (request) => listPaymentLinks(db, requirePrincipal(request).firmId, request.query.limit));

    app.post('/enter-payment', {
      config: { access: 'accountant' },
      schema: {
        summary: 'Enter Payment (virtual terminal): charge a card or bank account staff keyed in; origin enter_payment, no posting record',
        body: z
          .object({
            ...payer,
            token: processorToken,
            amountCents: positiveCents,
            account,
            invoiceNumbers: z.array(requiredText(64)).max(50).optional(),
            clientNumber: requiredText(64).optional(),
            matterNumber: requiredText(64).optional(),
          })
          .strict(),
        response: { 201: z.object({ payment: paymentOut }) },
      },
    }, async (request, reply) => {
      const principal = requirePrincipal(request);
      return reply.code(201).send(await enterPayment(db, processor, principal.firmId, actorOf(principal), request.body));
    });
  };
}
