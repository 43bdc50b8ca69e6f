import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../domain/actor.ts';
import { cancelQuickLink } from '../../usecases/quick-links/cancel-quick-link.ts';
import { createQuickLink } from '../../usecases/quick-links/create-quick-link.ts';
import { listQuickLinks } from '../../usecases/quick-links/list-quick-links.ts';
import { requirePrincipal } from '../auth.ts';
import { account, idParam, positiveCents, requiredText } from '../../contract/fields.ts';
import { createdQuickLinkOut, LINK_STATUSES, quickLinkOut } from '../../contract/links.ts';
import type { RouteDeps } from './index.ts';

/** Quick Links (Send For Payment): payments by link for an amount and a description. */
export function quickLinkRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.post('/quick-links', {
      config: { access: 'accountant', answerHoldsSecret: true },
      schema: {
        summary: 'Send For Payment: a link for an amount and description; its token is in this answer only',
        body: z
          .object({
            amountCents: positiveCents,
            description: requiredText(500),
            account: account.optional(),
            payerName: requiredText(200).optional(),
            payerEmail: z.email().max(320).optional(),
            expiresInDays: z.number().int().min(1).max(90).optional().describe('30 when not given'),
          })
          .strict(),
        response: { 201: createdQuickLinkOut },
      },
    }, async (request, reply) => {
      const principal = requirePrincipal(request);
      return reply.code(201).send(await createQuickLink(db, principal.firmId, actorOf(principal), request.body));
    });

    app.get('/quick-links', {
      config: { access: 'user' },
      schema: {
        summary: "The firm's quick links, newest first, never their tokens",
        querystring: z.object({ status: z.enum(LINK_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ items: z.array(quickLinkOut) }) },
      },
    }, async (request) => listQuickLinks(db, requirePrincipal(request).firmId, request.query));

    app.post('/quick-links/:id/cancel', {
      config: { access: 'accountant' },
      schema: { summary: 'Cancel an outstanding quick link', params: idParam, body: z.object({}).strict().optional(), response: { 200: quickLinkOut } },
    }, async (request) => {
      const principal = requirePrincipal(request);
      return cancelQuickLink(db, principal.firmId, actorOf(principal), request.params.id);
    });
  };
}
