import { addDays, calendarDateIn, dayStartIn } from '../../domain/dates.ts';
import type { Db } from '../../db/connect.ts';
import { insertPaidQuickLink, insertPaidRun } from '../../db/demo.ts';
import { findDefaultDepositAccount } from '../../db/deposit-accounts.ts';
import { insertSchedule } from '../../db/schedules.ts';
import { linkExpiry } from '../../domain/links.ts';
import { anchorDayOf } from '../../domain/schedule-dates.ts';
import { newLinkToken } from '../links/link-token.ts';
import { insertPage, type NewPageRow } from '../../db/payment-pages.ts';
import { createFirm, createUser } from '../auth/firms-and-users.ts';
import { SYSTEM_ACTOR, type Actor } from '../../domain/actor.ts';
import { recordMmsAnswer } from '../batches/record-mms-answer.ts';
import { acknowledgeBatch } from '../batches/acknowledge-batch.ts';
import { batchFile } from '../batches/list-batches.ts';
import { reversePayment } from '../payments/reverse-payment.ts';
import { takePayment, type TakePaymentResult } from '../payments/take-payment.ts';
import { postRecords } from '../postings/post-records.ts';
import { removeRecords } from '../postings/remove-records.ts';
import { syncMms } from '../sync/sync-mms.ts';
import { DEMO_PAYMENTS, DEMO_TIME_ZONE, demoSync } from './demo-data.ts';

export const DEMO_FIRM = { code: 'DEMO', name: 'Hartwell & Finch LLP', timeZone: DEMO_TIME_ZONE };
export const DEMO_PASSWORD = 'paybridge-demo';
/** The demo's payment portal and a client and open invoice to look up on it (demo-data.ts's 24-0150), for the start-up summary. */
export const DEMO_PAYER_PAGE = { slug: 'hartwell-finch', clientNumber: '1002', invoiceNumber: '24-0150' } as const;
/** What the demo MMS said when it refused one record of the seed's first batch. */
export const DEMO_MMS_REFUSAL =
  'PB_DEMO_000001.csv line 3: invoice 24-0108 is on hold in the MMS (billing dispute); receipt not applied';
export const DEMO_USERS = {
  admin: 'admin@hartwell-finch.example',
  accountant: 'accountant@hartwell-finch.example',
  viewer: 'viewer@hartwell-finch.example',
} as const;

/**
 * The first-run demo: a firm with synced billing data, payment pages, and about forty
 * payments of every origin in every state, so each view of Manage Postings has rows.
 */
export async function seedDemo(db: Db, today = new Date()) {
  const firm = await createFirm(db, DEMO_FIRM);
  for (const [role, email] of Object.entries(DEMO_USERS)) {
    await createUser(db, {
      firmCode: DEMO_FIRM.code,
      email,
      name: `Demo ${role}`,
      role: role as keyof typeof DEMO_USERS,
      password: DEMO_PASSWORD,
    });
  }
  const staff: Actor = { kind: 'user', id: null, label: DEMO_USERS.accountant };
  const agent: Actor = { kind: 'agent', id: null, label: 'agent' };
  await syncMms(db, firm.id, agent, demoSync(today), today);

  const pageIdOf = async (page: Omit<NewPageRow, 'deposit_account_id'>) => {
    const deposit = await findDefaultDepositAccount(db, firm.id, page.account);
    const made = await insertPage(db, firm.id, { ...page, deposit_account_id: deposit.id });
    if (made === 'slug_taken') throw new Error(`the demo's slug ${page.slug} is taken`);
    return made.id;
  };
  const pageId = {
    portal: await pageIdOf({
      name: 'Client payment portal',
      slug: DEMO_PAYER_PAGE.slug,
      account: 'operating',
      create_posting_record: true,
      surcharge_bps: 300,
    }),
    retainer: await pageIdOf({
      name: 'Retainer deposits',
      slug: 'hartwell-finch-retainer',
      account: 'trust',
      create_posting_record: true,
    }),
    events: await pageIdOf({
      name: 'Events and sponsorships',
      slug: 'hartwell-finch-events',
      account: 'operating',
      create_posting_record: false,
    }),
  };

  const taken: TakePaymentResult[] = [];
  // spread over the last two weeks, during Chicago office hours (9 am to 4 pm), none after `today`
  const timeOf = (i: number) =>
    officeHours(new Date(today.getTime() - (DEMO_PAYMENTS.length - i) * 8 * 3600_000), i, today);
  // The schedule's payments a week apart, as its weekly runs made them.
  const scheduled = DEMO_PAYMENTS.flatMap((p, i) => (p.origin === 'payment_schedule' ? [i] : []));
  const lastRun = scheduled.at(-1) ?? 0;
  const runTime = (i: number) =>
    officeHours(new Date(timeOf(lastRun).getTime() - (lastRun - i) * 7 * 86_400_000), i, today);
  for (const [i, { page, ...payment }] of DEMO_PAYMENTS.entries()) {
    const processedAt = payment.origin === 'payment_schedule' ? runTime(i) : timeOf(i);
    taken.push(
      await takePayment(db, firm.id, staff, {
        ...payment,
        processorId: `demo_ch_${String(i + 1).padStart(4, '0')}`,
        processedAt: processedAt.toISOString(),
        ...(page ? { paymentPageId: pageId[page] } : {}),
      }),
    );
  }
  await addQuickLinksAndSchedule(db, firm.id, taken, DEMO_USERS.accountant);
  const record = (i: number) => taken[i]!.postingRecord!.id;
  const reversible = taken.slice(-3);

  // Batch 1 delivered and acknowledged, and the MMS's answer back: three records applied,
  // one refused (back in Incomplete to be fixed); batch 2 waiting for the agent (queued).
  const first = await postRecords(
    db,
    firm.id,
    staff,
    { ids: [record(0), record(1), record(2), reversible[2]!.postingRecord!.id] },
    today,
  );
  if (first) {
    const { sha256 } = await batchFile(db, firm.id, first.id);
    await acknowledgeBatch(db, firm.id, agent, first.id, sha256, today, true);
    const applied = [record(0), record(1), reversible[2]!.postingRecord!.id].map((id) => ({
      recordId: id,
      outcome: 'applied' as const,
    }));
    await recordMmsAnswer(
      db,
      firm.id,
      agent,
      first.id,
      { records: [...applied, { recordId: record(2), outcome: 'rejected', message: DEMO_MMS_REFUSAL }] },
      today,
    );
  }
  await postRecords(db, firm.id, staff, { ids: [record(3), record(4), reversible[1]!.postingRecord!.id] }, today);
  await removeRecords(db, firm.id, staff, [record(5)], 'Entered by hand in the MMS', today);

  // Reversals: before queueing (record removed), and after queueing or posting (negative records).
  await reversePayment(db, firm.id, staff, reversible[0]!.payment.id, { kind: 'void' }, today);
  await reversePayment(db, firm.id, staff, reversible[1]!.payment.id, { kind: 'refund' }, today);
  await reversePayment(db, firm.id, SYSTEM_ACTOR, reversible[2]!.payment.id, { kind: 'chargeback' }, today);
  // An older payment charged back two days after it was made, so a past payout carries a chargeback.
  const chargedBack = taken[CHARGED_BACK]!.payment;
  const chargebackAt = new Date(new Date(chargedBack.processedAt).getTime() + 2 * 24 * 3600_000);
  if (chargebackAt < today)
    await reversePayment(db, firm.id, SYSTEM_ACTOR, chargedBack.id, { kind: 'chargeback' }, chargebackAt);

  return { firm, email: DEMO_USERS.accountant, password: DEMO_PASSWORD };
}

/** What the demo's quick links were sent for, in the order of their payments. */
const QUICK_LINK_DESCRIPTIONS = ['HOA annual retainer top-up', 'Lien search and filing fees'];

/**
 * The Quick Links and Payment Schedules behind the demo's quick_link and payment_schedule
 * payments, each linked to its payment, so those screens show where the payments came
 * from: a paid quick link per quick-link payment (sent a day before it was paid), and one
 * weekly schedule, completed after its runs, whose paid runs made the schedule payments.
 */
async function addQuickLinksAndSchedule(db: Db, firmId: string, taken: TakePaymentResult[], createdBy: string) {
  const operating = await findDefaultDepositAccount(db, firmId, 'operating');
  const quick = taken.filter((t) => t.payment.origin === 'quick_link');
  for (const [i, { payment }] of quick.entries()) {
    const paidAt = new Date(payment.processedAt);
    const createdAt = new Date(paidAt.getTime() - 86_400_000);
    await insertPaidQuickLink(db, firmId, {
      tokenHash: newLinkToken('quick').hash,
      amountCents: payment.amountCents,
      depositAccountId: operating.id,
      description: QUICK_LINK_DESCRIPTIONS[i % QUICK_LINK_DESCRIPTIONS.length]!,
      payerName: payment.payerName,
      payerEmail: payment.payerEmail,
      createdBy,
      createdAt,
      expiresAt: linkExpiry('quick', createdAt),
      paymentId: payment.id,
      paidAt,
    });
  }
  const runs = taken.filter((t) => t.payment.origin === 'payment_schedule').map((t) => t.payment);
  const first = runs[0];
  if (!first) return;
  const dayOf = (p: { processedAt: string }) => calendarDateIn(new Date(p.processedAt), DEMO_TIME_ZONE);
  const scheduleId = await insertSchedule(db, firmId, {
    // Completed, so it never runs again: the demo keeps no card to charge, only the vault's reference would.
    processor_token: 'demo_completed_schedule',
    method: first.method,
    card_brand: first.cardBrand,
    last4: first.last4,
    amount_cents: first.amountCents,
    account: first.account,
    deposit_account_id: first.depositAccountId,
    description: 'Weekly installments on the Holloway estate fees',
    payer_name: first.payerName,
    payer_email: first.payerEmail,
    client_number: first.clientNumber,
    matter_number: first.matterNumber,
    frequency: 'weekly',
    anchor_day: anchorDayOf(dayOf(first)),
    next_run_on: null,
    end_after_count: runs.length,
    status: 'completed',
    completed_reason: 'count',
    completed_at: new Date(runs.at(-1)!.processedAt),
    created_by: createdBy,
    created_at: new Date(new Date(first.processedAt).getTime() - 3_600_000),
  });
  for (const run of runs)
    await insertPaidRun(db, firmId, {
      scheduleId,
      runOn: dayOf(run),
      amountCents: run.amountCents,
      processorId: run.processorId,
      paymentId: run.id,
      at: new Date(run.processedAt),
    });
}

/** The demo payment charged back days after it was made (not one the seed posts, voids or refunds). */
const CHARGED_BACK = 8;

/** The `i`th payment's time on the firm's calendar day of `around`: 9:00 to 15:59 Chicago time, or the day before if that is still to come. */
function officeHours(around: Date, i: number, today: Date): Date {
  const minutes = (9 + (i % 7)) * 60 + ((i * 13) % 60);
  const day = calendarDateIn(around, DEMO_TIME_ZONE);
  const at = (date: string) => new Date(dayStartIn(date, DEMO_TIME_ZONE).getTime() + minutes * 60_000);
  return at(day) <= today ? at(day) : at(addDays(day, -1));
}
