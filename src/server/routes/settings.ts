import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isTimeZone } from '../../domain/dates.ts';
import { MMS_KINDS } from '../../domain/mms-kinds.ts';
import { FILE_FORMATS } from '../../domain/types.ts';
import { actorOf } from '../../domain/actor.ts';
import { getSettings } from '../../usecases/settings/get-settings.ts';
import { rotateWebhookSecret } from '../../usecases/settings/rotate-webhook-secret.ts';
import { updateSettings } from '../../usecases/settings/update-settings.ts';
import { requirePrincipal } from '../auth.ts';
import { requiredText } from '../../contract/fields.ts';
import type { RouteDeps } from './index.ts';

const settingsFields = {
  name: requiredText(200),
  mmsKind: z.enum(MMS_KINDS),
  fileFormat: z.enum(FILE_FORMATS).describe('the format of batch files from the next batch on'),
  autoApply: z.boolean().describe('apply a payment naming several invoices to them oldest first'),
  usePostedDate: z.boolean().describe('date posting lines by the day they are posted rather than the payment date'),
  autoPost: z.boolean().describe('batch pending records every autoPostMinutes without a click'),
  autoPostMinutes: z.number().int().min(5).max(1440),
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, { message: 'is not an IANA time zone such as America/Los_Angeles' })
    .describe("IANA name: every calendar date paybridge derives (posting dates, today, date filters) is a date in this zone"),
};

const settingsOut = z.object({
  ...settingsFields,
  name: z.string(),
  timeZone: z.string().describe('IANA name, e.g. America/Los_Angeles'),
  creditUploadNeeded: z.boolean().describe("whether the firm's MMS needs a credit upload run after each delivered batch"),
});

export function settingsRoutes({ db }: RouteDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.get('/settings', {
      config: { access: 'admin' },
      schema: { summary: "The firm's settings", response: { 200: settingsOut } },
    }, async (request) => getSettings(db, requirePrincipal(request).firmId));

    app.patch('/settings', {
      config: { access: 'admin' },
      schema: { summary: "Change the firm's settings", body: z.object(settingsFields).partial().strict(), response: { 200: settingsOut } },
    }, async (request) => {
      const principal = requirePrincipal(request);
      return updateSettings(db, principal.firmId, actorOf(principal), request.body);
    });

    app.post('/settings/webhook-secret', {
      config: { access: 'admin', answerHoldsSecret: true },
      schema: {
        summary: "A new signing secret for the firm's processor webhook, shown in this answer only; the old one stops working",
        body: z.object({}).strict(),
        response: { 201: z.object({ webhookSecret: z.string(), endpoint: z.string() }) },
      },
    }, async (request, reply) => {
      const principal = requirePrincipal(request);
      return reply.code(201).send(await rotateWebhookSecret(db, principal.firmId, actorOf(principal)));
    });
  };
}
