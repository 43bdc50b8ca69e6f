import type { z } from 'zod';
import type { createScheduleBody } from '../../contract/schedules.ts';
import { calendarDateIn } from '../../domain/dates.ts';
import { anchorDayOf } from '../../domain/schedule-dates.ts';
import type { Db } from '../../db/connect.ts';
import { readTimeZone } from '../../db/firms.ts';
import { insertSchedule, loadScheduleViews, readScheduleInvoiceRow, type ScheduleView } from '../../db/schedules.ts';
import { endOfChoice } from '../../domain/schedule-ends.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { DomainError, badRequest } from '../../domain/errors.ts';
import type { Processor } from '../../processor/processor.ts';
import type { Actor } from '../../domain/actor.ts';
import { chooseDepositAccount } from '../deposit-accounts/choose-deposit-account.ts';

export type NewPaymentSchedule = z.output<typeof createScheduleBody>;

/**
 * A recurring charge on a processor token (the card or bank account stays at the
 * processor). The token is checked with the processor now, so a bad one fails here
 * rather than on the first run.
 */
export async function createPaymentSchedule(
  db: Db,
  processor: Processor,
  firmId: string,
  actor: Actor,
  input: NewPaymentSchedule,
  now = new Date(),
): Promise<ScheduleView> {
  const today = calendarDateIn(now, await readTimeZone(db, firmId));
  if (input.startOn < today)
    throw badRequest(`startOn must be today (${today} in the firm's time zone) or later`, { field: 'startOn' });
  const end = endOfChoice(input);
  if ('field' in end) throw badRequest(end.problem, { field: end.field });
  const invoice = end.kind === 'invoice_paid' ? await payableInvoice(db, firmId, end.invoiceNumber) : undefined;
  const facts = await processor.describeToken(firmId, input.token);
  if (!facts)
    throw new DomainError(
      'invalid_payment_token',
      'the payment token is unknown: enter the card or bank details again',
    );
  // The schedule keeps the processor's vault reference, never the token itself (SPEC §7).
  const vaulted = await processor.vault(firmId, input.token);
  if (!vaulted)
    throw new DomainError(
      'invalid_payment_token',
      'the payment token is unknown: enter the card or bank details again',
    );
  return inTransaction(db, async (tx) => {
    const deposit = await chooseDepositAccount(tx, firmId, input, true);
    const scheduleId = await insertSchedule(tx, firmId, {
      processor_token: vaulted,
      method: facts.method,
      card_brand: facts.method === 'card' ? facts.brand : null,
      last4: facts.last4,
      amount_cents: input.amountCents,
      account: input.account,
      deposit_account_id: deposit.id,
      description: input.description.trim(),
      payer_name: input.payerName.trim(),
      payer_email: input.payerEmail ?? null,
      // A schedule that pays an invoice is for the invoice's client and matter unless told otherwise.
      client_number: input.clientNumber?.trim() || invoice?.client_number || null,
      matter_number: input.matterNumber?.trim() || invoice?.matter_number || null,
      frequency: input.interval,
      anchor_day: anchorDayOf(input.startOn),
      next_run_on: input.startOn,
      end_after_count: end.kind === 'count' ? end.count : null,
      ends_on: end.kind === 'date' ? end.endsOn : null,
      invoice_number: end.kind === 'invoice_paid' ? end.invoiceNumber : null,
      created_by: actor.label,
    });
    await writeAudit(tx, firmId, actor, [
      {
        action: 'payment_schedule_created',
        detail: { scheduleId, amountCents: input.amountCents, interval: input.interval, startOn: input.startOn, end },
      },
    ]);
    const [view] = await loadScheduleViews(tx, firmId, [scheduleId]);
    if (!view) throw new Error('the schedule just made was not found');
    return view;
  });
}

/** The invoice a schedule is to pay off: the firm's own, and still open with something to pay. */
async function payableInvoice(db: Db, firmId: string, invoiceNumber: string) {
  const invoice = await readScheduleInvoiceRow(db, firmId, invoiceNumber);
  if (!invoice)
    throw badRequest(`invoice ${invoiceNumber} is not among the firm's synced invoices`, { field: 'invoiceNumber' });
  if (invoice.status !== 'open' || invoice.balance_cents <= 0)
    throw badRequest(`invoice ${invoiceNumber} is already ${invoice.status === 'open' ? 'paid off' : invoice.status}`, {
      field: 'invoiceNumber',
    });
  return invoice;
}
