import type { FastifyInstance } from 'fastify';
import type { Mailer, MailMessage } from '../../src/mail/mailer.ts';

/** A mailer that keeps what it is given, for tests that read the mail a use case sent. */
export function recordingMailer(): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message);
      return { messageId: `<${sent.length}@test>`, via: 'memory' };
    },
    async outbox() {
      return [];
    },
  };
}

/** The secret of a set-password link (what follows `#`). */
export const linkToken = (link: string): string => link.slice(link.indexOf('#') + 1);

/** Signs in through the API; answers the session cookie and CSRF token, or the refusal. */
export async function signInAs(
  app: FastifyInstance,
  body: { email: string; password: string; code?: string },
  remoteAddress = '10.1.1.1',
) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: body, remoteAddress });
  const cookie = /pb_session=([^;]+)/.exec(String(res.headers['set-cookie'] ?? ''))?.[1];
  return { res, cookie, csrf: res.statusCode === 200 ? res.json<{ csrfToken: string }>().csrfToken : undefined };
}
