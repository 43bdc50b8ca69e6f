import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { INVOICE_STATUSES } from '../../domain/types.ts';
import { actorOf } from '../../domain/actor.ts';
import { syncMms } from '../../usecases/sync/sync-mms.ts';
import { requirePrincipal } from '../auth.ts';
import { agentHeadersDoc, isoDate, nonNegativeCents, requiredText, text } from '../../contract/fields.ts';
import type { RouteDeps } from './index.ts';

const MAX_ROWS = 50_000;
/** A full resync names every invoice the MMS lists as open, however many pages it took. */
const MAX_LISTED_INVOICES = 2_000_000;

const syncBody = z
  .object({
    clients: z.array(z.object({ clientNumber: requiredText(64), name: requiredText(200) }).strict()).max(MAX_ROWS).default([]),
    matters: z.array(z.object({ clientNumber: requiredText(64), matterNumber: requiredText(64), description: text(500).default('') }).strict()).max(MAX_ROWS).default([]),
    invoices: z
      .array(
        z
          .object({
            invoiceNumber: requiredText(64),
            clientNumber: requiredText(64),
            matterNumber: requiredText(64),
            invoiceDate: isoDate,
            totalCents: nonNegativeCents,
            balanceCents: nonNegativeCents,
            status: z.enum(INVOICE_STATUSES),
          })
          .strict(),
      )
      .max(MAX_ROWS)
      .default([]),
    full: z.boolean().default(false),
    earlierInvoiceNumbers: z.array(requiredText(64)).max(MAX_LISTED_INVOICES).optional().describe(
      'with full: true on the last page of a sync sent in pages: the invoices the earlier pages sent as open. Open invoices neither here nor in this page are voided',
    ),
    readAfter: z.iso.datetime({ offset: true }).optional().describe(
      'a server time (GET /agent/clock) taken before the MMS was read: the balances sent reflect every line delivered before it. Absent: when the request arrives',
    ),
  })
  .strict();

export function agentRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.post('/agent/sync', {
      config: { access: 'agent' },
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        summary: 'Upsert clients, matters and invoices from the MMS; full: true voids open invoices missing from it',
        description: `Validated whole: one bad row answers 400 naming the row and field, and nothing is written. At most ${MAX_ROWS} rows of each kind per call. A full resync sent in pages says full: true on its last page only, with earlierInvoiceNumbers.`,
        headers: agentHeadersDoc,
        body: syncBody,
        response: {
          200: z.object({ clients: z.number(), matters: z.number(), invoices: z.number(), closed: z.number(), reclassifiedToPending: z.number() }),
        },
      },
    }, async (request) => {
      const principal = requirePrincipal(request);
      return syncMms(db, principal.firmId, actorOf(principal), request.body);
    });

    app.get('/agent/clock', {
      config: { access: 'agent' },
      schema: {
        summary: "The server's time, which the agent takes before it reads the MMS and sends with the sync as readAfter",
        headers: agentHeadersDoc,
        response: { 200: z.object({ now: z.string() }) },
      },
    }, async () => ({ now: new Date().toISOString() }));
  };
}
