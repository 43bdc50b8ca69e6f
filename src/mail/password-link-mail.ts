import type { MailMessage } from './mailer.ts';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The mail that carries an invite or a password reset link: plain text and HTML, the firm's name. */
export function passwordLinkMail(input: {
  to: string;
  kind: 'invite' | 'reset';
  firmName: string;
  link: string;
  expiresAt: Date;
}): MailMessage {
  const until = input.expiresAt.toUTCString();
  const subject =
    input.kind === 'invite'
      ? `You are invited to ${input.firmName} on paybridge`
      : `Reset your paybridge password for ${input.firmName}`;
  const lead =
    input.kind === 'invite'
      ? `An admin of ${input.firmName} invited you to paybridge. Open this link to set your password:`
      : `An admin of ${input.firmName} sent you a link to set a new paybridge password:`;
  const tail = `The link works once, until ${until}. If you did not expect this mail, ignore it.`;
  return {
    to: input.to,
    subject,
    text: `${lead}\n\n${input.link}\n\n${tail}\n`,
    html: `<p>${escapeHtml(lead)}</p><p><a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p><p>${escapeHtml(tail)}</p>`,
  };
}
