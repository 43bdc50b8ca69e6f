import type { Db } from '../../db/connect.ts';
import {
  claimDueMail,
  markMailFailed,
  markMailSent,
  readFirmForMail,
  readReceiptFacts,
  readStaffEvent,
  readStaffEventsBetween,
} from '../../db/mail-queue.ts';
import { addDays, dayStartIn } from '../../domain/dates.ts';
import {
  digestMail,
  mailRetryDelayMs,
  receiptMail,
  staffEventMail,
  wallClock,
  type RenderedMail,
  type StaffEventFacts,
} from '../../domain/mail-messages.ts';
import type { Mailer } from '../../mail/mailer.ts';

/** How many messages one scheduler run sends at most; the rest wait for the next run. */
export const MAIL_PER_RUN = 50;

export interface MailRun {
  sent: number;
  retried: number;
  failed: number;
  errors: { id: string; error: string }[];
}

type Claimed = Awaited<ReturnType<typeof claimDueMail>>[number];

/**
 * Sends the queued mail that is due, outside any transaction: each message is claimed
 * (leased) first, so several instances running this at once send it once. A message the
 * SMTP server refuses is tried again later with a growing pause, and given up after
 * MAX_MAIL_ATTEMPTS; either way the change it tells of stands.
 */
export async function sendQueuedMail(db: Db, mailer: Mailer, now = new Date(), limit = MAIL_PER_RUN): Promise<MailRun> {
  const run: MailRun = { sent: 0, retried: 0, failed: 0, errors: [] };
  for (const row of await claimDueMail(db, now, limit)) {
    try {
      const message = await render(db, row);
      if (message === null) {
        // What it told of is gone (a digest whose day had no events left): nothing to send.
        await markMailFailed(db, row.firm_id, row.id, 'nothing to send', null);
        continue;
      }
      const sent = await mailer.send({ to: row.recipient, ...message });
      await markMailSent(db, row.firm_id, row.id, { via: sent.via, subject: message.subject }, new Date());
      run.sent += 1;
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      const delay = mailRetryDelayMs(row.attempts);
      await markMailFailed(db, row.firm_id, row.id, text, delay === null ? null : new Date(now.getTime() + delay));
      if (delay === null) run.failed += 1;
      else run.retried += 1;
      run.errors.push({ id: row.id, error: text });
    }
  }
  return run;
}

async function render(db: Db, row: Claimed): Promise<RenderedMail | null> {
  switch (row.kind) {
    case 'link':
      return row.message as RenderedMail;
    case 'receipt': {
      const p = await readReceiptFacts(db, row.firm_id, row.payment_id!);
      if (!p) return null;
      return receiptMail({
        firmName: p.firm_name,
        payerName: p.payer_name,
        amountCents: p.amount_cents,
        surchargeCents: p.surcharge_cents,
        method: p.method,
        cardBrand: p.card_brand,
        last4: p.last4,
        paidAt: wallClock(p.processed_at, p.time_zone),
        reference: p.processor_id,
        invoiceNumbers: p.invoice_numbers,
      });
    }
    case 'event': {
      const firm = await readFirmForMail(db, row.firm_id);
      const event = await readStaffEvent(db, row.firm_id, row.event_id!);
      return event ? staffEventMail(firm.name, factsOf(event, firm.time_zone)) : null;
    }
    case 'digest': {
      const firm = await readFirmForMail(db, row.firm_id);
      const day = row.digest_day!;
      const events = await readStaffEventsBetween(
        db,
        row.firm_id,
        dayStartIn(day, firm.time_zone),
        dayStartIn(addDays(day, 1), firm.time_zone),
      );
      if (events.length === 0) return null;
      return digestMail(
        firm.name,
        day,
        events.map((e) => factsOf(e, firm.time_zone)),
      );
    }
  }
}

function factsOf(
  event: { kind: StaffEventFacts['kind']; occurred_at: Date; detail: unknown },
  timeZone: string,
): StaffEventFacts {
  return {
    kind: event.kind,
    at: wallClock(event.occurred_at, timeZone),
    detail: typeof event.detail === 'object' && event.detail !== null ? (event.detail as Record<string, unknown>) : {},
  };
}
