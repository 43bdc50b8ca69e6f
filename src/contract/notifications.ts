import { z } from 'zod';
import { endpoint } from './endpoint.ts';

/** Email (issue 15): each user's own notification choice, and the firm's mail as an admin sees it. */

export const NOTIFICATION_MODES = ['none', 'each', 'digest'] as const;

export const notificationPreferenceOut = z.object({
  mode: z
    .enum(NOTIFICATION_MODES)
    .describe(
      "staff events (posting failure, new incomplete record, agent silent, failed scheduled charge) by email: none, each as it happens, or one digest a day in the firm's time zone",
    ),
});

export const getMyNotifications = endpoint({
  method: 'GET',
  path: '/me/notifications',
  access: 'user',
  summary: 'Which staff events the signed-in user is emailed, and how',
  response: notificationPreferenceOut,
});

export const updateMyNotifications = endpoint({
  method: 'PATCH',
  path: '/me/notifications',
  access: 'user',
  summary: 'Choose which staff events the signed-in user is emailed, and how',
  body: z.object({ mode: z.enum(NOTIFICATION_MODES) }).strict(),
  response: notificationPreferenceOut,
});

export const outboxOut = z.object({
  delivery: z
    .enum(['smtp', 'outbox'])
    .describe('smtp when SMTP_URL is set; otherwise mail is written as .eml files under DATA_DIR/outbox/'),
  files: z
    .array(z.object({ file: z.string(), writtenAt: z.string(), to: z.string(), subject: z.string() }))
    .describe("the firm's own files in the outbox folder, newest first (none with SMTP)"),
  queue: z
    .array(
      z.object({
        id: z.string(),
        kind: z.enum(['receipt', 'link', 'event', 'digest']),
        recipient: z.string(),
        subject: z.string().nullable().describe('once sent'),
        status: z.enum(['queued', 'sent', 'failed']),
        attempts: z.number(),
        lastError: z.string().nullable(),
        createdAt: z.string(),
        sentAt: z.string().nullable(),
      }),
    )
    .describe("the firm's latest queued and sent mail, newest first"),
});

export const getOutbox = endpoint({
  method: 'GET',
  path: '/settings/outbox',
  access: 'admin',
  summary: "The firm's mail: what is queued or was sent, and the outbox folder when no SMTP_URL is set",
  query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
  response: outboxOut,
});
