-- Issue 13: a payment schedule ends (after a count of payments, on a date, or once the
-- invoice it names is paid), and a declined charge is retried once the next day.

-- How a schedule ends: at most one of these; none means it runs until cancelled.
alter table payment_schedules
  add column end_after_count integer check (end_after_count between 1 and 1000),
  add column ends_on date,
  add column invoice_number text,
  add column completed_reason text check (completed_reason in ('count', 'date', 'invoice_paid')),
  add column completed_at timestamptz,
  add constraint payment_schedules_one_end check (num_nonnulls(end_after_count, ends_on, invoice_number) <= 1),
  add constraint payment_schedules_invoice_fkey foreign key (firm_id, invoice_number) references invoices (firm_id, invoice_number),
  drop constraint payment_schedules_status_check,
  add constraint payment_schedules_status_check check (status in ('active', 'cancelled', 'completed')),
  add constraint payment_schedules_completed check ((status = 'completed') = (completed_reason is not null));
-- The scheduler looks for active schedules whose invoice the sync closed.
create index payment_schedules_invoice_idx on payment_schedules (firm_id, invoice_number)
  where status = 'active' and invoice_number is not null;

-- A run (one occurrence) is charged once, and if declined, retried once on retry_on:
-- `declined` waits for that retry; `missed` is an occurrence left uncharged for good.
-- amount_cents is what the attempt charges (a schedule that ends with its invoice charges
-- no more than the open balance), fixed when the attempt is claimed so that a tick finishing
-- an abandoned attempt sends the processor the same charge.
alter table schedule_runs
  add column attempt smallint not null default 1 check (attempt in (1, 2)),
  add column amount_cents bigint check (amount_cents > 0),
  add column failed_on date,
  add column retry_on date,
  -- With an invoice end: the invoice's mirror row as of the attempt (its updated_at). Until
  -- a sync changes the invoice, the synced balance does not show this charge yet.
  add column invoice_seen_at timestamptz,
  drop constraint schedule_runs_status_check,
  add constraint schedule_runs_status_check check (status in ('claimed', 'paid', 'declined', 'missed'));
-- Before retries, a declined run was never charged again: it is missed.
update schedule_runs set status = 'missed', failed_on = run_on where status = 'declined';
update schedule_runs r set amount_cents = s.amount_cents
  from payment_schedules s where s.firm_id = r.firm_id and s.id = r.schedule_id;
alter table schedule_runs
  alter column amount_cents set not null,
  add constraint schedule_runs_retry check (status <> 'declined' or retry_on is not null);
create index schedule_runs_retry_idx on schedule_runs (retry_on) where status = 'declined';
