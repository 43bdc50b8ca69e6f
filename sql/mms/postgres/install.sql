-- paybridge install script for the demo MMS (SPEC §6): the functions the paybridge agent
-- calls. Run it in the MMS database after demo-schema.sql; running it again replaces the
-- functions with the same definitions and touches no data. PostgreSQL 15 and PGlite.
--
-- The sync functions take the time of the agent's last successful sync; NULL means
-- everything. A row is returned when its updated_at is strictly later.

create or replace function paybridge_clients(since timestamptz)
returns table (client_number text, name text, updated_at timestamptz)
language sql stable as $$
  select c.client_number, c.name, c.updated_at
  from mms_clients c
  where paybridge_clients.since is null or c.updated_at > paybridge_clients.since
  order by c.updated_at, c.client_number
$$;

create or replace function paybridge_matters(since timestamptz)
returns table (client_number text, matter_number text, description text, updated_at timestamptz)
language sql stable as $$
  select m.client_number, m.matter_number, m.description, m.updated_at
  from mms_matters m
  where paybridge_matters.since is null or m.updated_at > paybridge_matters.since
  order by m.updated_at, m.client_number, m.matter_number
$$;

-- total and balance are integer cents (BIGINT), never decimal currency units.
create or replace function paybridge_invoices(since timestamptz)
returns table (
  invoice_number text,
  client_number text,
  matter_number text,
  invoice_date date,
  total bigint,
  balance bigint,
  status text,
  updated_at timestamptz
)
language sql stable as $$
  select i.invoice_number, i.client_number, i.matter_number, i.invoice_date,
         i.total_cents, i.balance_cents, i.status, i.updated_at
  from mms_invoices i
  where paybridge_invoices.since is null or i.updated_at > paybridge_invoices.since
  order by i.updated_at, i.invoice_number
$$;

-- Posts one receipt line (amount in cents; negative for a reversal) and answers 'applied'
-- or 'already_applied'. Idempotent on (record_id, line): a repeat changes nothing. An
-- operating line pays down its invoice (status 'paid' at a zero balance, 'open' again
-- when a reversal raises it); a trust line is recorded for its matter and touches no
-- invoice. A refusal raises SQLSTATE P0001 with the reason, and nothing is written.
create or replace function paybridge_post_receipt(
  record_id text,
  line integer,
  invoice_number text,
  client_number text,
  matter_number text,
  amount bigint,
  posting_date date,
  account text,
  memo text
) returns text
language sql volatile as $$
  select mms_apply_receipt('procedure', $1, $2, $3, $4, $5, $6, $7, $8, $9)
$$;
