import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  lookUpInvoices,
  payOnPage,
  payPaymentLink,
  payQuickLink,
  viewPaymentLink,
  viewPaymentPage,
  viewQuickLink,
} from '../../contract/pay.ts';
import { payLink } from '../../usecases/links/pay-link.ts';
import { viewLink } from '../../usecases/links/view-link.ts';
import { findPublicPage } from '../../usecases/page-payments/find-public-page.ts';
import { lookUpInvoices as lookUp } from '../../usecases/page-payments/look-up-invoices.ts';
import { payOnPage as pay } from '../../usecases/page-payments/pay-on-page.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

/**
 * What a payer's browser calls: public, rate-limited per address, and each answer holds
 * only what the payer already proved they know (src/contract/pay.ts).
 */
export function payRoutes({ db, config, processor }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const limited = {
      config: { anonymous: true, rateLimit: { max: config.payRequestsPerMinute, timeWindow: 60_000 } },
    };

    app.route({
      ...routeOf(viewPaymentPage, limited),
      handler: async (request) => {
        const page = await findPublicPage(db, request.params.slug);
        return {
          firmName: page.firmName,
          pageName: page.name,
          slug: page.slug,
          account: page.account,
          surchargeBps: page.surchargeBps,
          enabled: page.enabled,
        };
      },
    });
    app.route({
      ...routeOf(lookUpInvoices, limited),
      handler: async (request) => lookUp(db, await findPublicPage(db, request.params.slug), request.body),
    });
    app.route({
      ...routeOf(payOnPage, limited),
      handler: async (request, reply) =>
        reply.code(201).send(await pay(db, processor, request.params.slug, request.body)),
    });
    app.route({
      ...routeOf(viewPaymentLink, limited),
      handler: async (request) => viewLink(db, 'payment', request.params.token),
    });
    app.route({
      ...routeOf(payPaymentLink, limited),
      handler: async (request, reply) =>
        reply.code(201).send(await payLink(db, processor, 'payment', request.params.token, request.body)),
    });
    app.route({
      ...routeOf(viewQuickLink, limited),
      handler: async (request) => viewLink(db, 'quick', request.params.token),
    });
    app.route({
      ...routeOf(payQuickLink, limited),
      handler: async (request, reply) =>
        reply.code(201).send(await payLink(db, processor, 'quick', request.params.token, request.body)),
    });
  };
}
