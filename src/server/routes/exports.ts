import { PassThrough } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { exportPaymentsXlsx, exportPostingsXlsx, XLSX_TYPE } from '../../contract/exports.ts';
import type { XlsxExport } from '../../usecases/exports/write-xlsx.ts';
import { exportPayments } from '../../usecases/payments/export-payments.ts';
import { exportRecords } from '../../usecases/postings/export-records.ts';
import { requirePrincipal } from '../auth.ts';
import { routeOf } from '../route.ts';
import type { RouteDeps } from './index.ts';

/**
 * Streams the workbook through a PassThrough that Fastify pipes to the socket. A failure
 * after the first bytes cannot become an error answer any more, so the stream is
 * destroyed with it: Fastify then cuts the connection and the client sees a broken
 * download instead of waiting on a response that will never end.
 */
export function sendXlsx(request: FastifyRequest, reply: FastifyReply, file: XlsxExport) {
  const out = new PassThrough();
  file.write(out).catch((error: unknown) => {
    if (!out.destroyed) request.log.error({ err: error }, 'export failed while streaming');
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return reply
    .type(XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('cache-control', 'no-store')
    .send(out);
}

export function exportRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.route({
      ...routeOf(exportPostingsXlsx),
      handler: async (request, reply) =>
        sendXlsx(request, reply, await exportRecords(db, requirePrincipal(request).firmId, request.query)),
    });
    app.route({
      ...routeOf(exportPaymentsXlsx),
      handler: async (request, reply) =>
        sendXlsx(request, reply, await exportPayments(db, requirePrincipal(request).firmId, request.query)),
    });
  };
}
