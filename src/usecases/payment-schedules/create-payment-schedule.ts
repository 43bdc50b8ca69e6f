import type { z } from 'zod';
import type { createScheduleBody } from '../../contract/schedules.ts';
import { calendarDateIn } from '../../domain/dates.ts';
import { anchorDayOf } from '../../domain/schedule-dates.ts';
import type { Db } from '../../db/connect.ts';
import { readTimeZone } from '../../db/firms.ts';
import { insertSchedule, loadScheduleViews, type ScheduleView } from '../../db/schedules.ts';
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
  const facts = await processor.describeToken(input.token);
  if (!facts)
    throw new DomainError(
      'invalid_payment_token',
      'the payment token is unknown: enter the card or bank details again',
    );
  return inTransaction(db, async (tx) => {
    const deposit = await chooseDepositAccount(tx, firmId, input, true);
    const scheduleId = await insertSchedule(tx, firmId, {
      processor_token: input.token,
      method: facts.method,
      card_brand: facts.method === 'card' ? facts.brand : null,
      last4: facts.last4,
      amount_cents: input.amountCents,
      account: input.account,
      deposit_account_id: deposit.id,
      description: input.description.trim(),
      payer_name: input.payerName.trim(),
      payer_email: input.payerEmail ?? null,
      client_number: input.clientNumber?.trim() || null,
      matter_number: input.matterNumber?.trim() || null,
      frequency: input.interval,
      anchor_day: anchorDayOf(input.startOn),
      next_run_on: input.startOn,
      created_by: actor.label,
    });
    await writeAudit(tx, firmId, actor, [
      {
        action: 'payment_schedule_created',
        detail: { scheduleId, amountCents: input.amountCents, interval: input.interval, startOn: input.startOn },
      },
    ]);
    const [view] = await loadScheduleViews(tx, firmId, [scheduleId]);
    if (!view) throw new Error('the schedule just made was not found');
    return view;
  });
}
