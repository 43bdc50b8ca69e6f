import { formatUsd } from './money.ts';
import { plural } from './plural.ts';

/**
 * The words of every message paybridge emails (issue 15), as pure functions: each gives a
 * plain-text part and an HTML part with the same content. Every value that came from a
 * person (a payer's name, a description, an MMS's words) is escaped in the HTML. No
 * message carries card data beyond the brand and the last 4 digits: a receipt is made
 * from those two fields only, never from anything that could hold a card number.
 */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A line break or control character in a subject would start a new header: one line, trimmed. */
function oneLine(value: string): string {
  let line = '';
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    line += code < 0x20 || code === 0x7f ? ' ' : value.charAt(i);
  }
  return line.replace(/ {2,}/g, ' ').trim();
}

interface Section {
  heading: string;
  /** [label, value] rows; values are plain text, escaped in the HTML. */
  rows: [string, string][];
}

/** One message from a title, paragraphs, labelled rows and an optional link: both parts from the same parts. */
function compose(
  subject: string,
  firmName: string,
  parts: { intro: string[]; sections?: Section[]; link?: { label: string; url: string }; outro?: string[] },
): RenderedMail {
  const sections = parts.sections ?? [];
  const text = [
    ...parts.intro,
    ...sections.flatMap((s) => ['', s.heading, ...s.rows.map(([k, v]) => `  ${k}: ${v}`)]),
    ...(parts.link ? ['', `${parts.link.label}: ${parts.link.url}`] : []),
    ...(parts.outro?.length ? ['', ...parts.outro] : []),
    '',
    `— ${firmName}`,
    '',
  ].join('\n');
  const p = (line: string) => `<p>${escapeHtml(line)}</p>`;
  const html = [
    '<!doctype html><html><body style="font-family:Arial,sans-serif;color:#222">',
    `<h2 style="font-size:18px">${escapeHtml(firmName)}</h2>`,
    ...parts.intro.map(p),
    ...sections.map(
      (s) =>
        `<h3 style="font-size:15px">${escapeHtml(s.heading)}</h3><table>${s.rows
          .map(
            ([k, v]) =>
              `<tr><th align="left" style="padding-right:12px">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`,
          )
          .join('')}</table>`,
    ),
    ...(parts.link ? [`<p><a href="${escapeHtml(parts.link.url)}">${escapeHtml(parts.link.label)}</a></p>`] : []),
    ...(parts.outro ?? []).map(p),
    '</body></html>',
  ].join('\n');
  return { subject: oneLine(subject), text, html };
}

export interface ReceiptFacts {
  firmName: string;
  payerName: string;
  amountCents: number;
  surchargeCents: number;
  method: 'card' | 'echeck';
  cardBrand: string | null;
  last4: string | null;
  /** When the payment was made, already written in the firm's time zone. */
  paidAt: string;
  reference: string;
  invoiceNumbers: readonly string[];
}

/** How the payer paid: "Visa ending 4242", "eCheck ending 6789"; never more of the number. */
export function paidWith(method: 'card' | 'echeck', brand: string | null, last4: string | null): string {
  const what = method === 'echeck' ? 'eCheck' : brand ? brand.charAt(0).toUpperCase() + brand.slice(1) : 'Card';
  const digits = last4 && /^\d{4}$/.test(last4) ? last4 : null;
  return digits ? `${what} ending ${digits}` : what;
}

export function receiptMail(f: ReceiptFacts): RenderedMail {
  const rows: [string, string][] = [['Amount', formatUsd(f.amountCents)]];
  if (f.surchargeCents > 0) rows.push(['Of which surcharge', formatUsd(f.surchargeCents)]);
  rows.push(['Paid with', paidWith(f.method, f.cardBrand, f.last4)], ['Date', f.paidAt], ['Reference', f.reference]);
  if (f.invoiceNumbers.length > 0) rows.push(['Invoices', f.invoiceNumbers.join(', ')]);
  return compose(`Your payment to ${f.firmName}: ${formatUsd(f.amountCents)}`, f.firmName, {
    intro: [`Dear ${f.payerName},`, `thank you: ${f.firmName} received your payment.`],
    sections: [{ heading: 'Receipt', rows }],
    outro: ['Keep this email as your receipt.'],
  });
}

export interface LinkMailFacts {
  firmName: string;
  kind: 'payment' | 'quick';
  payerName: string | null;
  amountCents: number;
  description: string | null;
  /** The expiry, already written in the firm's time zone. */
  expires: string;
  url: string;
}

export function linkMail(f: LinkMailFacts): RenderedMail {
  const rows: [string, string][] = [['Amount', formatUsd(f.amountCents)]];
  if (f.description) rows.push(['For', f.description]);
  rows.push(['Pay by', f.expires]);
  return compose(`${f.firmName}: payment request for ${formatUsd(f.amountCents)}`, f.firmName, {
    intro: [
      f.payerName ? `Dear ${f.payerName},` : 'Hello,',
      `${f.firmName} asks you to pay ${formatUsd(f.amountCents)} online by card or eCheck.`,
    ],
    sections: [{ heading: 'Payment request', rows }],
    link: { label: 'Pay now', url: f.url },
    outro: ['The link is yours alone: do not forward this email.'],
  });
}

export const STAFF_EVENT_KINDS = ['posting_failure', 'incomplete_record', 'agent_silent', 'schedule_failed'] as const;
export type StaffEventKind = (typeof STAFF_EVENT_KINDS)[number];

/** What a staff event says, from its stored detail (which the queries write): a title and a sentence. */
export interface StaffEventFacts {
  kind: StaffEventKind;
  /** When it happened, already written in the firm's time zone. */
  at: string;
  detail: Record<string, unknown>;
}

/** ClientPay's subjects: "Error-Posting Failure", "Error-Incomplete Posting Record", "Error-Failed Auto-Pay". */
export const STAFF_EVENT_TITLES: Record<StaffEventKind, string> = {
  posting_failure: 'Error-Posting Failure',
  incomplete_record: 'Error-Incomplete Posting Record',
  agent_silent: 'Error-Connect Agent Silent',
  schedule_failed: 'Error-Failed Auto-Pay',
};

const str = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
const money = (value: unknown): string => (typeof value === 'number' ? formatUsd(value) : '');

export function describeStaffEvent(e: StaffEventFacts): string {
  const d = e.detail;
  switch (e.kind) {
    case 'posting_failure':
      if (d.quarantined === true)
        return `The Connect agent quarantined batch ${str(d.seq)} (${str(d.fileName)}, ${money(d.totalCents)}) instead of delivering it: ${str(d.message)}. It and every later batch wait until someone on the firm's server resolves it and deletes the quarantine marker (README: "Quarantine").`;
      return `The MMS refused the record of ${str(d.payerName)} (${money(d.amountCents)}) in batch ${str(d.seq)}: ${str(d.message)}. It is back in Incomplete to be fixed.`;
    case 'incomplete_record':
      return `A new ${str(d.account)} record of ${str(d.payerName)} (${money(d.amountCents)}) is incomplete: ${
        Array.isArray(d.reasons) ? d.reasons.map(str).join(', ') : ''
      }.`;
    case 'agent_silent':
      return `Batches are waiting and no Connect agent has been in contact since ${str(d.lastSeen) || 'it was installed'}: check that the agent's service is running on the firm's server.`;
    case 'schedule_failed':
      return `The scheduled charge of ${str(d.payerName)} (${money(d.amountCents)}) due ${str(d.runOn)} was ${str(d.status)}: ${str(d.reason)}.`;
  }
}

export function staffEventMail(firmName: string, e: StaffEventFacts): RenderedMail {
  return compose(`${STAFF_EVENT_TITLES[e.kind]} — ${firmName}`, firmName, {
    intro: [`${e.at}: ${describeStaffEvent(e)}`],
    outro: ['You receive this because you chose each event in Settings → Notifications.'],
  });
}

export function digestMail(firmName: string, day: string, events: readonly StaffEventFacts[]): RenderedMail {
  const count = plural(events.length, 'event');
  const sections = STAFF_EVENT_KINDS.flatMap((kind): Section[] => {
    const of = events.filter((e) => e.kind === kind);
    return of.length === 0
      ? []
      : [{ heading: `${STAFF_EVENT_TITLES[kind]} (${of.length})`, rows: of.map((e) => [e.at, describeStaffEvent(e)]) }];
  });
  return compose(`${firmName}: daily digest for ${day}, ${count}`, firmName, {
    intro: [`What happened on ${day}:`],
    sections,
    outro: ['You receive this because you chose a daily digest in Settings → Notifications.'],
  });
}

/** An instant as people read it on the firm's wall clock: "Dec 2, 2026, 9:15 AM EST". */
export function wallClock(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  })
    .format(at)
    .concat(' ', shortZone(at, timeZone));
}

function shortZone(at: Date, timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/** A retry's pause after failed attempt n: 1, 2, 4 … minutes (about 8½ hours in all), never over 6 hours; null once MAX_MAIL_ATTEMPTS are spent. */
export const MAX_MAIL_ATTEMPTS = 10;
export function mailRetryDelayMs(attempts: number): number | null {
  if (attempts >= MAX_MAIL_ATTEMPTS) return null;
  return Math.min(60_000 * 2 ** (attempts - 1), 6 * 3_600_000);
}
