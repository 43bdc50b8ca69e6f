import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { exportAuditEventsXlsx, getAuditActions, getAuditEvents } from '../../contract/audit.ts';
import { auditFacets } from '../../db/audit-log.ts';
import { exportAuditEvents } from '../../usecases/audit/export-audit-events.ts';
import { listAuditEvents } from '../../usecases/audit/list-audit-events.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import { sendXlsx } from './exports.ts';
import type { RouteDeps } from './index.ts';

/** The firm's audit log (admin): a page, the filters' choices, and Export to Excel. */
export function auditRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.route({
      ...routeOf(getAuditEvents),
      handler: async (request) => listAuditEvents(db, requirePrincipal(request).firmId, request.query),
    });
    app.route({
      ...routeOf(getAuditActions),
      handler: async (request) => auditFacets(db, requirePrincipal(request).firmId),
    });
    app.route({
      ...routeOf(exportAuditEventsXlsx),
      handler: async (request, reply) =>
        sendXlsx(request, reply, await exportAuditEvents(db, requirePrincipal(request).firmId, request.query)),
    });
  };
}
