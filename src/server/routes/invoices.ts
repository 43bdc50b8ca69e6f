import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { INVOICE_STATUSES } from '../../domain/types.ts';
import { searchInvoices } from '../../usecases/invoices/search-invoices.ts';
import { requirePrincipal } from '../auth.ts';
import { text } from '../../contract/fields.ts';
import { invoiceOut } from '../../contract/invoices.ts';
import type { RouteDeps } from './index.ts';

export function invoiceRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.get('/invoices', {
      config: { access: 'user' },
      schema: {
        summary: 'Search invoices by number, client or matter (for Reallocate Payment); open ones first',
        querystring: z.object({
          q: text(200).optional(),
          status: z.enum(INVOICE_STATUSES).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: { 200: z.object({ items: z.array(invoiceOut) }) },
      },
    }, async (request) => searchInvoices(db, requirePrincipal(request).firmId, request.query));
  };
}
