-- Payments from the processor: webhook secrets and events, payment links, quick links,
-- payment schedules and their runs, and the sandbox processor's own store.
-- No table here holds a card or bank account number or a CVV: only brand and last 4.

-- Each firm's webhook signing secret. Unlike a bearer token it cannot be kept as a hash:
-- verifying an HMAC needs the key itself. It is shown only when made (POST
-- /settings/webhook-secret) and never in a GET. 244 random bits from two v4 uuids.
alter table firms add column webhook_secret text not null
  default 'whsec_' || replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');

-- Processor events taken in, by the processor's event id: a replayed event is ignored.
create table processor_events (
  firm_id uuid not null references firms (id),
  event_id text not null check (length(event_id) between 1 and 200),
  type text not null,
  processor_id text not null,
  outcome text not null,
  received_at timestamptz not null default now(),
  primary key (firm_id, event_id)
);

-- "Send a payment link" from Make A Payment: chosen invoices, valid 24 hours.
create table payment_links (
  id uuid primary key default gen_random_uuid(),
  firm_id uuid not null references firms (id),
  token_hash text not null unique,
  amount_cents bigint not null check (amount_cents > 0),
  allocations jsonb not null,
  client_number text,
  payer_name text,
  payer_email text,
  status text not null default 'outstanding' check (status in ('outstanding', 'paid', 'cancelled')),
  -- a payer's attempt holds the link for a short lease, so two cards cannot both pay it
  paying_until timestamptz,
  payment_id uuid,
  created_by text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  paid_at timestamptz,
  unique (firm_id, id),
  foreign key (firm_id, payment_id) references payments (firm_id, id),
  check ((status = 'paid') = (payment_id is not null))
);
create index payment_links_list_idx on payment_links (firm_id, created_at desc, id desc);

-- Quick Links (Send For Payment): an amount and a description. "expired" is not stored:
-- an outstanding link past expires_at is expired, so no job has to flip it.
create table quick_links (
  id uuid primary key default gen_random_uuid(),
  firm_id uuid not null references firms (id),
  token_hash text not null unique,
  amount_cents bigint not null check (amount_cents > 0),
  description text not null check (length(description) between 1 and 500),
  account text not null check (account in ('operating', 'trust')),
  payer_name text,
  payer_email text,
  status text not null default 'outstanding' check (status in ('outstanding', 'paid', 'cancelled')),
  paying_until timestamptz,
  payment_id uuid,
  created_by text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  paid_at timestamptz,
  cancelled_at timestamptz,
  unique (firm_id, id),
  foreign key (firm_id, payment_id) references payments (firm_id, id),
  check ((status = 'paid') = (payment_id is not null))
);
create index quick_links_list_idx on quick_links (firm_id, created_at desc, id desc);

-- Recurring charges on a stored processor token (never a card number).
create table payment_schedules (
  id uuid primary key default gen_random_uuid(),
  firm_id uuid not null references firms (id),
  processor_token text not null,
  method text not null check (method in ('card', 'echeck')),
  card_brand text,
  last4 text check (last4 ~ '^[0-9]{4}$'),
  amount_cents bigint not null check (amount_cents > 0),
  account text not null check (account in ('operating', 'trust')),
  description text not null,
  payer_name text not null,
  payer_email text,
  client_number text,
  matter_number text,
  frequency text not null check (frequency in ('weekly', 'monthly')),
  -- the day of month a monthly schedule keeps to (31 runs on the last day of short months)
  anchor_day integer not null check (anchor_day between 1 and 31),
  next_run_on date,
  status text not null default 'active' check (status in ('active', 'cancelled')),
  created_by text not null,
  created_at timestamptz not null default now(),
  cancelled_at timestamptz,
  unique (firm_id, id),
  check ((status = 'active') = (next_run_on is not null))
);
create index payment_schedules_due_idx on payment_schedules (next_run_on) where status = 'active';

-- One row per run date of a schedule, ever: the key that makes each run happen once.
create table schedule_runs (
  firm_id uuid not null,
  schedule_id uuid not null,
  run_on date not null,
  status text not null check (status in ('claimed', 'paid', 'declined')),
  claimed_until timestamptz not null,
  processor_id text,
  payment_id uuid,
  decline_reason text,
  finished_at timestamptz,
  primary key (firm_id, schedule_id, run_on),
  foreign key (firm_id, schedule_id) references payment_schedules (firm_id, id),
  foreign key (firm_id, payment_id) references payments (firm_id, id)
);
create index schedule_runs_claimed_idx on schedule_runs (claimed_until) where status = 'claimed';

-- The sandbox processor's own store: what a real processor keeps on its side. Tokens
-- are the processor's vault (not firm data: the browser makes one before any firm is
-- charged) and hold only brand, last 4 and the test outcome, keyed by the token's hash.
create table sandbox_tokens (
  token_hash text primary key,
  method text not null check (method in ('card', 'echeck')),
  brand text not null,
  last4 text not null check (last4 ~ '^[0-9]{4}$'),
  outcome text not null check (outcome in ('approve', 'decline', 'approve_then_chargeback', 'approve_then_return')),
  decline_reason text,
  created_at timestamptz not null default now()
);

create table sandbox_charges (
  id text primary key,
  firm_id uuid not null references firms (id),
  idempotency_key text not null,
  token_hash text not null references sandbox_tokens (token_hash),
  amount_cents bigint not null check (amount_cents > 0),
  status text not null check (status in ('approved', 'declined', 'refunded', 'voided', 'charged_back', 'returned')),
  decline_reason text,
  created_at timestamptz not null,
  unique (firm_id, idempotency_key),
  unique (firm_id, id)
);

-- Events the sandbox sends to the firm's webhook, signed at delivery like a real processor's.
create table sandbox_events (
  id bigint generated always as identity primary key,
  firm_id uuid not null references firms (id),
  event_id text not null unique,
  body jsonb not null,
  deliver_after timestamptz not null,
  attempts integer not null default 0,
  leased_until timestamptz,
  last_error text,
  delivered_at timestamptz,
  gave_up_at timestamptz
);
create index sandbox_events_due_idx on sandbox_events (deliver_after) where delivered_at is null and gave_up_at is null;
