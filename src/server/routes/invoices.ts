import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { searchInvoicesEndpoint } from '../../contract/invoices.ts';
import { searchInvoices } from '../../usecases/invoices/search-invoices.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

export function invoiceRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.route({
      ...routeOf(searchInvoicesEndpoint),
      handler: async (request) => searchInvoices(db, requirePrincipal(request).firmId, request.query),
    });
  };
}
