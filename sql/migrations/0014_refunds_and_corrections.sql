-- SPEC §3.5 and §3.7: partial refunds, labelled reversals linked to their original, and
-- corrections (a reversal and a replacement posted together).

-- What has been refunded of each payment: it stays approved until all of it is.
alter table payments
  add column refunded_cents bigint not null default 0,
  add constraint payments_refunded_cents_check check (refunded_cents >= 0 and refunded_cents <= amount_cents);
update payments set refunded_cents = amount_cents where status = 'refunded';

-- Each refund by the processor's id for it, so that its confirming event is a repeat.
create table payment_refunds (
  firm_id uuid not null references firms (id),
  refund_id text not null check (length(refund_id) between 1 and 100),
  payment_id uuid not null,
  amount_cents bigint not null check (amount_cents > 0),
  created_at timestamptz not null default now(),
  primary key (firm_id, refund_id),
  foreign key (firm_id, payment_id) references payments (firm_id, id)
);
create index payment_refunds_payment_idx on payment_refunds (firm_id, payment_id);

-- What a reversal record reverses, as every list, export and file memo labels it.
alter table posting_records
  add column reversal_kind text check (reversal_kind in ('void', 'refund', 'chargeback', 'echeck_return', 'correction')),
  -- A correction's replacement: the record whose allocations it replaces.
  add column replaces uuid,
  -- The two records of one correction, which are posted together or not at all.
  add column correction_id uuid,
  add constraint posting_records_replaces_fkey foreign key (firm_id, replaces) references posting_records (firm_id, id);

-- The reversals made so far said their kind only in the audit (and their memo); an eCheck
-- "chargeback" was the bank's return.
update posting_records r
set reversal_kind = case
    when coalesce(k.kind, 'refund') = 'chargeback' and r.method = 'echeck' then 'echeck_return'
    else coalesce(k.kind, 'refund')
  end
from (
  select r2.id, (
      select a.detail->>'kind' from audit_events a
      where a.firm_id = r2.firm_id and a.record_id = r2.id and a.action = 'reversal_created'
      order by a.id limit 1
    ) as kind
  from posting_records r2 where r2.reversal_of is not null
) k
where r.id = k.id;
alter table posting_records
  add constraint posting_records_reversal_kind_present check ((reversal_of is null) = (reversal_kind is null)),
  add constraint posting_records_correction_parts check (
    (correction_id is null) or (reversal_kind = 'correction') or (replaces is not null));

-- A payment may now have several reversals of its record (partial refunds, then the rest)
-- and, after a correction, a replacement: one original per payment still.
drop index posting_records_reversal_key;
create index posting_records_reversal_idx on posting_records (firm_id, reversal_of) where reversal_of is not null;
drop index posting_records_payment_key;
create unique index posting_records_payment_key on posting_records (firm_id, payment_id)
  where reversal_of is null and replaces is null;
create index posting_records_correction_idx on posting_records (firm_id, correction_id) where correction_id is not null;

-- The sandbox refunds part of a charge too.
alter table sandbox_charges
  add column refunded_cents bigint not null default 0,
  add constraint sandbox_charges_refunded_cents_check check (refunded_cents >= 0 and refunded_cents <= amount_cents);
update sandbox_charges set refunded_cents = amount_cents where status = 'refunded';
