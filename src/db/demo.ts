import type { Db } from './connect.ts';

/**
 * The few reads only the first-run demo makes (its agent, the start banner).
 * Kept together rather than in the batches and records modules: they serve a fixture,
 * not the product, and change with it.
 */

/** The ids of the firm's records the MMS applied. */
export async function appliedRecordIds(db: Db, firmId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('posting_records')
    .select('id')
    .where('firm_id', '=', firmId)
    .where('mms_status', '=', 'applied')
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** The firm's delivered batch files, oldest first. */
export async function deliveredBatchFiles(db: Db, firmId: string) {
  return db
    .selectFrom('batches')
    .select(['content', 'file_format'])
    .where('firm_id', '=', firmId)
    .where('status', '=', 'delivered')
    .orderBy('seq')
    .execute();
}

/** Whether a user has this email (any firm: the demo's users are the only ones with theirs). */
export async function userExists(db: Db, email: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) !== undefined;
}

/** A quick link the demo's payer already paid (Send For Payment, then the payment it made). */
export async function insertPaidQuickLink(
  db: Db,
  firmId: string,
  link: {
    tokenHash: string;
    amountCents: number;
    depositAccountId: string;
    description: string;
    payerName: string;
    payerEmail: string | null;
    createdBy: string;
    createdAt: Date;
    expiresAt: Date;
    paymentId: string;
    paidAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('links')
    .values({
      firm_id: firmId,
      kind: 'quick',
      token_hash: link.tokenHash,
      amount_cents: link.amountCents,
      account: 'operating',
      deposit_account_id: link.depositAccountId,
      description: link.description,
      payer_name: link.payerName,
      payer_email: link.payerEmail,
      status: 'paid',
      payment_id: link.paymentId,
      created_by: link.createdBy,
      created_at: link.createdAt,
      expires_at: link.expiresAt,
      paid_at: link.paidAt,
    })
    .execute();
}

/** A paid run of a demo schedule: the day it ran and the payment it made. */
export async function insertPaidRun(
  db: Db,
  firmId: string,
  run: { scheduleId: string; runOn: string; amountCents: number; processorId: string; paymentId: string; at: Date },
): Promise<void> {
  await db
    .insertInto('schedule_runs')
    .values({
      firm_id: firmId,
      schedule_id: run.scheduleId,
      run_on: run.runOn,
      status: 'paid',
      claimed_until: run.at,
      processor_id: run.processorId,
      payment_id: run.paymentId,
      finished_at: run.at,
      amount_cents: run.amountCents,
    })
    .execute();
}
