import { z } from 'zod';
import { isTimeZone } from '../domain/dates.ts';
import { MMS_KINDS } from '../domain/mms-kinds.ts';
import { FILE_FORMAT_VERSIONS, FILE_FORMATS } from '../domain/types.ts';
import { endpoint } from './endpoint.ts';
import { requiredText } from './fields.ts';

/** The firm's settings (SPEC §9): what an admin reads and changes. */

const settingsFields = {
  name: requiredText(200),
  mmsKind: z.enum(MMS_KINDS),
  fileFormat: z.enum(FILE_FORMATS).describe('the format of batch files from the next batch on'),
  fileFormatVersion: z
    .union(FILE_FORMAT_VERSIONS.map((version) => z.literal(version)))
    .describe(
      "paybridge-csv's version from the next batch on: 2 adds account_code, ledger_code and trans_type (the deposit account's codes) after account",
    ),
  autoApply: z.boolean().describe('apply a payment naming several invoices to them oldest first'),
  usePostedDate: z.boolean().describe('date posting lines by the day they are posted rather than the payment date'),
  autoPost: z.boolean().describe('batch pending records every autoPostMinutes without a click'),
  autoPostMinutes: z.number().int().min(5).max(1440),
  requireAdminTwoFactor: z
    .boolean()
    .describe('admins must turn on two-factor sign-in: one without it is asked to enrol before anything else'),
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, { error: 'is not an IANA time zone such as America/Los_Angeles' })
    .describe(
      'IANA name: every calendar date paybridge derives (posting dates, today, date filters) is a date in this zone',
    ),
};

export const settingsOut = z.object({
  ...settingsFields,
  name: z.string(),
  timeZone: z.string().describe('IANA name, e.g. America/Los_Angeles'),
  creditUploadNeeded: z
    .boolean()
    .describe("whether the firm's MMS needs a credit upload run after each delivered batch"),
});

/** The settings to change; an absent one stays as it is. */
export const settingsChanges = z.object(settingsFields).partial().strict();

export const webhookSecretOut = z.object({ webhookSecret: z.string(), endpoint: z.string() });

export const getFirmSettings = endpoint({
  method: 'GET',
  path: '/settings',
  access: 'user',
  summary: "The firm's settings: every user reads them (SPEC §9), only an admin changes them",
  response: settingsOut,
});

export const patchFirmSettings = endpoint({
  method: 'PATCH',
  path: '/settings',
  access: 'admin',
  summary: "Change the firm's settings",
  body: settingsChanges,
  response: settingsOut,
});

export const postWebhookSecret = endpoint({
  method: 'POST',
  path: '/settings/webhook-secret',
  access: 'admin',
  summary:
    "A new signing secret for the firm's processor webhook, shown in this answer only; the old one stops working",
  body: z.object({}).strict(),
  status: 201,
  response: webhookSecretOut,
});
