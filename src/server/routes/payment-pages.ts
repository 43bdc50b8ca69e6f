import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../domain/actor.ts';
import { createPaymentPage } from '../../usecases/payment-pages/create-payment-page.ts';
import { listPaymentPages } from '../../usecases/payment-pages/list-payment-pages.ts';
import { updatePaymentPage } from '../../usecases/payment-pages/update-payment-page.ts';
import { requirePrincipal } from '../auth.ts';
import { account, idParam, requiredText } from '../../contract/fields.ts';
import type { RouteDeps } from './index.ts';

/** The same rule as the payment_pages.slug CHECK: it is part of a public URL. */
const RESERVED_SLUGS = ['link', 'quick'];
const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1–63 lowercase letters, digits and hyphens, starting with a letter or digit')
  // /pay/link/{token} and /pay/quick/{token} are links, so no page may be called that.
  .refine((value) => !RESERVED_SLUGS.includes(value), { message: 'is reserved for payment links; choose another' });
const surchargeBps = z.number().int().min(0).max(1000).describe('surcharge in basis points: 300 is 3%');

const pageOut = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  account,
  createPostingRecord: z.boolean(),
  surchargeBps: z.number(),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export function paymentPageRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.get('/payment-pages', {
      config: { access: 'user' },
      schema: { summary: "The firm's payment pages", response: { 200: z.object({ items: z.array(pageOut) }) } },
    }, async (request) => listPaymentPages(db, requirePrincipal(request).firmId));

    app.post('/payment-pages', {
      config: { access: 'admin' },
      schema: {
        summary: 'Create a payment page; a slug taken by any firm is 409',
        body: z.object({ name: requiredText(200), slug, account, createPostingRecord: z.boolean(), surchargeBps: surchargeBps.optional() }).strict(),
        response: { 201: pageOut },
      },
    }, async (request, reply) => {
      const principal = requirePrincipal(request);
      return reply.code(201).send(await createPaymentPage(db, principal.firmId, actorOf(principal), request.body));
    });

    app.patch('/payment-pages/:id', {
      config: { access: 'admin' },
      schema: {
        summary: 'Change a payment page; "create a posting record" applies to payments taken from now on',
        params: idParam,
        body: z
          .object({ name: requiredText(200), slug, account, createPostingRecord: z.boolean(), surchargeBps, enabled: z.boolean() })
          .partial()
          .strict(),
        response: { 200: pageOut },
      },
    }, async (request) => {
      const principal = requirePrincipal(request);
      return updatePaymentPage(db, principal.firmId, actorOf(principal), request.params.id, request.body);
    });
  };
}
