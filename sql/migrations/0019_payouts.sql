-- Issue 14: deposits. The processor pays each settled day's money out per deposit
-- account (SPEC §5.3); paybridge keeps each payout it is told of, with its lines, so the
-- accountant can match a bank deposit to the payments, refunds, chargebacks and fees in it.

-- Every refund now has a row, with the processor's id for it or one paybridge made when
-- the processor gave none (a payment keyed in from elsewhere), so the day a refund
-- happened is known for each. Refunds made before this migration get one row for
-- whatever their payment's rows do not account for, dated when the payment was reversed.
insert into payment_refunds (firm_id, refund_id, payment_id, amount_cents, created_at)
select p.firm_id, 'pb_re_' || replace(p.id::text, '-', ''), p.id,
  p.refunded_cents - coalesce(r.known, 0), coalesce(p.reversed_at, p.created_at)
from payments p
left join (
  select firm_id, payment_id, sum(amount_cents) as known from payment_refunds group by firm_id, payment_id
) r on r.firm_id = p.firm_id and r.payment_id = p.id
where p.refunded_cents > coalesce(r.known, 0);

-- A payout as the processor reported it (its payout.paid event, then its lines fetched).
create table payouts (
  firm_id uuid not null references firms (id),
  id uuid not null default gen_random_uuid(),
  processor_payout_id text not null check (length(processor_payout_id) between 1 and 100),
  deposit_account_id uuid not null,
  account text not null check (account in ('operating', 'trust')),
  -- The firm's day whose payments, refunds and chargebacks it carries…
  settled_on date not null,
  -- …and when it reached the bank, and that day on the firm's calendar (what a bank statement shows).
  paid_at timestamptz not null,
  paid_on date not null,
  gross_cents bigint not null check (gross_cents >= 0),
  refunds_cents bigint not null check (refunds_cents <= 0),
  chargebacks_cents bigint not null check (chargebacks_cents <= 0),
  fees_cents bigint not null check (fees_cents <= 0),
  net_cents bigint not null check (net_cents = gross_cents + refunds_cents + chargebacks_cents + fees_cents),
  line_count integer not null check (line_count >= 0),
  payment_count integer not null check (payment_count >= 0),
  received_at timestamptz not null default now(),
  primary key (firm_id, id),
  unique (firm_id, processor_payout_id),
  foreign key (firm_id, deposit_account_id, account) references deposit_accounts (firm_id, id, kind)
);
create index payouts_paid_idx on payouts (firm_id, paid_at desc, id desc);
create index payouts_account_idx on payouts (firm_id, deposit_account_id, paid_at desc, id desc);

-- A payout's lines: money in positive, out negative; a line names the charge it is about
-- by the processor's id, which finds the payment (when paybridge has it) at read time.
create table payout_lines (
  firm_id uuid not null,
  payout_id uuid not null,
  line integer not null check (line >= 1),
  kind text not null check (kind in ('payment', 'surcharge', 'refund', 'chargeback', 'echeck_return', 'fee')),
  processor_id text not null check (length(processor_id) between 1 and 100),
  refund_id text check (length(refund_id) between 1 and 100),
  amount_cents bigint not null check (amount_cents <> 0),
  primary key (firm_id, payout_id, line),
  foreign key (firm_id, payout_id) references payouts (firm_id, id)
);
create index payout_lines_processor_idx on payout_lines (firm_id, processor_id);

-- The sandbox processor's side: what it has paid out, and which movements each day's
-- settlement took, so each payment, refund and chargeback is paid out exactly once.
create table sandbox_payouts (
  id text primary key,
  firm_id uuid not null references firms (id),
  deposit_account_id uuid not null,
  account text not null check (account in ('operating', 'trust')),
  settled_on date not null,
  paid_at timestamptz not null,
  amount_cents bigint not null,
  lines jsonb not null
);
create index sandbox_payouts_firm_idx on sandbox_payouts (firm_id, settled_on);

create table sandbox_settled (
  firm_id uuid not null references firms (id),
  kind text not null check (kind in ('payment', 'refund', 'chargeback')),
  -- The charge's id; a refund's own id for a refund.
  ref text not null,
  settled_on date not null,
  primary key (firm_id, kind, ref)
);

-- A payment's reversals and a correction's replacement, found by payment: the originals
-- have their own unique index (posting_records_payment_key).
create index posting_records_payment_others_idx on posting_records (firm_id, payment_id)
  where reversal_of is not null or replaces is not null;

-- Each payout line with the payment it is about and the posting record that carries it to
-- the MMS: for a refund, chargeback or return its reversal record of that kind, when there
-- is one; otherwise (and for a payment, surcharge or fee) the payment's live record — the
-- latest that is not a reversal, so a correction's replacement over its original.
create view payout_line_facts as
select l.firm_id, l.payout_id, l.line, l.kind, l.processor_id, l.refund_id, l.amount_cents,
  p.id as payment_id, p.payer_name, p.processed_at, p.method, p.amount_cents as payment_cents,
  p.status as payment_status, p.deposit_account_id as payment_deposit_account_id,
  r.id as record_id, r.status as record_status, r.mms_status, r.batch_id, b.seq as batch_seq
from payout_lines l
left join payments p on p.firm_id = l.firm_id and p.processor_id = l.processor_id
left join lateral (
  select x.id, x.status, x.mms_status, x.batch_id
  from (
    select pr.id, pr.status, pr.mms_status, pr.batch_id, 1 as preference, pr.created_at
    from posting_records pr
    where pr.firm_id = p.firm_id and pr.payment_id = p.id
      and (pr.reversal_of is not null or pr.replaces is not null) and pr.reversal_kind = l.kind
    union all
    select pr.id, pr.status, pr.mms_status, pr.batch_id, 2, pr.created_at
    from posting_records pr
    where pr.firm_id = p.firm_id and pr.payment_id = p.id
      and (pr.reversal_of is not null or pr.replaces is not null) and pr.reversal_of is null
    union all
    select pr.id, pr.status, pr.mms_status, pr.batch_id, 3, pr.created_at
    from posting_records pr
    where pr.firm_id = p.firm_id and pr.payment_id = p.id and pr.reversal_of is null and pr.replaces is null
  ) x
  order by x.preference, x.created_at desc, x.id desc
  limit 1
) r on true
left join batches b on b.firm_id = l.firm_id and b.id = r.batch_id;
