import { sql } from 'kysely';
import type { Db } from './connect.ts';
import { cents, type Cents } from '../domain/money.ts';
import type { ChargeFacts, RefundFacts } from '../domain/deposits.ts';
import type { PayoutLine } from '../domain/payouts.ts';
import type { Account, Method } from '../domain/types.ts';

/**
 * The sandbox processor's payouts. The sandbox stands in for the processor of every
 * payment paybridge holds, so it settles from paybridge's own payments, refunds and
 * chargebacks (a real processor settles from its ledger); `sandbox_settled` holds which
 * of them a payout already took, so each is paid out exactly once.
 */

export type Movable =
  | { kind: 'payment'; at: Date; charge: ChargeFacts }
  | { kind: 'refund'; at: Date; charge: ChargeFacts; refund: RefundFacts }
  | { kind: 'chargeback'; at: Date; charge: ChargeFacts; refundedCents: Cents };

interface ChargeRow {
  processor_id: string;
  method: Method;
  account: Account;
  deposit_account_id: string;
  amount_cents: number;
  surcharge_cents: number;
}

const chargeOf = (r: ChargeRow): ChargeFacts => ({
  processorId: r.processor_id,
  method: r.method,
  account: r.account,
  depositAccountId: r.deposit_account_id,
  amountCents: cents(r.amount_cents),
  surchargeCents: cents(r.surcharge_cents),
});

/** Firms with a payment, refund or chargeback before `now` that no payout has taken yet. */
export async function firmsWithUnsettled(db: Db, now: Date): Promise<{ id: string; time_zone: string }[]> {
  const rows = await sql<{ id: string; time_zone: string }>`
    select f.id, f.time_zone from firms f
    where exists (
      select 1 from payments p
      where p.firm_id = f.id and p.status not in ('declined', 'voided') and p.processed_at < ${now}
        and not exists (select 1 from sandbox_settled s where s.firm_id = p.firm_id and s.kind = 'payment' and s.ref = p.processor_id))
    or exists (
      select 1 from payment_refunds r
      where r.firm_id = f.id and r.created_at < ${now}
        and not exists (select 1 from sandbox_settled s where s.firm_id = r.firm_id and s.kind = 'refund' and s.ref = r.refund_id))
    or exists (
      select 1 from payments p
      where p.firm_id = f.id and p.status = 'charged_back' and p.reversed_at < ${now}
        and not exists (select 1 from sandbox_settled s where s.firm_id = p.firm_id and s.kind = 'chargeback' and s.ref = p.processor_id))
    order by f.id`.execute(db);
  return rows.rows;
}

/**
 * Claims the firm's payments, refunds and chargebacks made before `cutoff` that no payout
 * took yet, marking each settled on its own day in `timeZone`, each kind in the order it
 * happened: a payout's lines are numbered in that order, whatever plan the join takes. A
 * concurrent settlement waits on the claim and then finds nothing left, so nothing is paid
 * out twice.
 */
export async function claimUnsettled(db: Db, firmId: string, cutoff: Date, timeZone: string): Promise<Movable[]> {
  const payments = await sql<ChargeRow & { at: Date }>`
    with claimed as (
      insert into sandbox_settled (firm_id, kind, ref, settled_on)
      select p.firm_id, 'payment', p.processor_id, (p.processed_at at time zone ${timeZone})::date
      from payments p
      where p.firm_id = ${firmId} and p.status not in ('declined', 'voided') and p.processed_at < ${cutoff}
      on conflict do nothing
      returning ref)
    select p.processor_id, p.method, p.account, p.deposit_account_id, p.amount_cents, p.surcharge_cents, p.processed_at as at
    from payments p join claimed c on c.ref = p.processor_id
    where p.firm_id = ${firmId}
    order by p.processed_at, p.processor_id`.execute(db);
  const refunds = await sql<ChargeRow & { at: Date; refund_id: string; refund_cents: number; before_cents: number }>`
    with ordered as (
      select r.refund_id, r.payment_id, r.amount_cents as refund_cents, r.created_at,
        coalesce(sum(r.amount_cents) over (partition by r.payment_id order by r.created_at, r.refund_id
          rows between unbounded preceding and 1 preceding), 0) as before_cents
      from payment_refunds r where r.firm_id = ${firmId}),
    claimed as (
      insert into sandbox_settled (firm_id, kind, ref, settled_on)
      select ${firmId}, 'refund', o.refund_id, (o.created_at at time zone ${timeZone})::date
      from ordered o where o.created_at < ${cutoff}
      on conflict do nothing
      returning ref)
    select p.processor_id, p.method, p.account, p.deposit_account_id, p.amount_cents, p.surcharge_cents,
      o.created_at as at, o.refund_id, o.refund_cents, o.before_cents::bigint as before_cents
    from ordered o join claimed c on c.ref = o.refund_id
    join payments p on p.firm_id = ${firmId} and p.id = o.payment_id
    order by o.created_at, o.refund_id`.execute(db);
  const chargebacks = await sql<ChargeRow & { at: Date; refunded_cents: number }>`
    with claimed as (
      insert into sandbox_settled (firm_id, kind, ref, settled_on)
      select p.firm_id, 'chargeback', p.processor_id, (p.reversed_at at time zone ${timeZone})::date
      from payments p
      where p.firm_id = ${firmId} and p.status = 'charged_back' and p.reversed_at < ${cutoff}
      on conflict do nothing
      returning ref)
    select p.processor_id, p.method, p.account, p.deposit_account_id, p.amount_cents, p.surcharge_cents,
      p.reversed_at as at, p.refunded_cents
    from payments p join claimed c on c.ref = p.processor_id
    where p.firm_id = ${firmId}
    order by p.reversed_at, p.processor_id`.execute(db);
  return [
    ...payments.rows.map((r): Movable => ({ kind: 'payment', at: r.at, charge: chargeOf(r) })),
    ...refunds.rows.map((r): Movable => ({
      kind: 'refund',
      at: r.at,
      charge: chargeOf(r),
      refund: {
        refundId: r.refund_id,
        amountCents: cents(r.refund_cents),
        refundedBeforeCents: cents(r.before_cents),
      },
    })),
    ...chargebacks.rows.map((r): Movable => ({
      kind: 'chargeback',
      at: r.at,
      charge: chargeOf(r),
      refundedCents: cents(r.refunded_cents),
    })),
  ];
}

export interface SandboxPayout {
  id: string;
  firmId: string;
  depositAccountId: string;
  account: Account;
  settledOn: string;
  paidAt: Date;
  amountCents: Cents;
  lines: PayoutLine[];
}

export async function insertSandboxPayout(db: Db, payout: SandboxPayout): Promise<void> {
  await db
    .insertInto('sandbox_payouts')
    .values({
      id: payout.id,
      firm_id: payout.firmId,
      deposit_account_id: payout.depositAccountId,
      account: payout.account,
      settled_on: payout.settledOn,
      paid_at: payout.paidAt,
      amount_cents: payout.amountCents,
      lines: JSON.stringify(payout.lines),
    })
    .execute();
}

export async function findSandboxPayout(db: Db, firmId: string, payoutId: string): Promise<SandboxPayout | null> {
  const row = await db
    .selectFrom('sandbox_payouts')
    .selectAll()
    .where('firm_id', '=', firmId)
    .where('id', '=', payoutId)
    .executeTakeFirst();
  if (!row) return null;
  const lines = (typeof row.lines === 'string' ? JSON.parse(row.lines) : row.lines) as PayoutLine[];
  return {
    id: row.id,
    firmId: row.firm_id,
    depositAccountId: row.deposit_account_id,
    account: row.account,
    settledOn: row.settled_on,
    paidAt: row.paid_at,
    amountCents: cents(row.amount_cents),
    lines: lines.map((l) => ({ ...l, amountCents: cents(l.amountCents) })),
  };
}
