-- paybridge schema, version 1.
-- Money is BIGINT cents. Every firm-owned row carries firm_id, and every foreign key
-- between firm-owned tables includes it, so a row can never point into another firm.
-- Nothing newer than PostgreSQL 15 is used (PGlite is 18, production may be 15).

create table firms (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^[A-Z0-9_]{1,20}$'),
  name text not null check (length(name) between 1 and 200),
  mms_kind text not null default 'other'
    check (mms_kind in ('elite_enterprise', 'elite_3e', 'prolaw', 'aderant', 'juris', 'pclaw', 'other')),
  file_format text not null default 'paybridge-csv' check (file_format in ('paybridge-csv', 'juris-csv')),
  auto_apply boolean not null default false,
  use_posted_date boolean not null default false,
  auto_post boolean not null default false,
  auto_post_minutes integer not null default 60 check (auto_post_minutes between 5 and 1440),
  last_auto_post_at timestamptz,
  next_batch_seq integer not null default 1 check (next_batch_seq >= 1),
  created_at timestamptz not null default now()
);

create table users (
  id uuid primary key default gen_random_uuid(),
  firm_id uuid not null references firms (id),
  email text not null,
  name text not null,
  role text not null check (role in ('admin', 'accountant', 'viewer')),
  password_hash text,
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  unique (firm_id, id)
);
create unique index users_email_key on users (lower(email));

create table sessions (
  token_hash text primary key,
  firm_id uuid not null,
  user_id uuid not null,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  foreign key (firm_id, user_id) references users (firm_id, id) on delete cascade
);
create index sessions_user_idx on sessions (firm_id, user_id);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  firm_id uuid not null references firms (id),
  kind text not null check (kind in ('user', 'agent')),
  user_id uuid,
  token_hash text not null unique,
  label text not null default '',
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  unique (firm_id, id),
  foreign key (firm_id, user_id) references users (firm_id, id),
  check ((kind = 'user') = (user_id is not null))
);

create table clients (
  firm_id uuid not null references firms (id),
  client_number text not null,
  name text not null,
  updated_at timestamptz not null default now(),
  primary key (firm_id, client_number)
);

create table matters (
  firm_id uuid not null,
  client_number text not null,
  matter_number text not null,
  description text not null default '',
  updated_at timestamptz not null default now(),
  primary key (firm_id, client_number, matter_number),
  foreign key (firm_id, client_number) references clients (firm_id, client_number)
);

create table invoices (
  firm_id uuid not null,
  invoice_number text not null,
  client_number text not null,
  matter_number text not null,
  invoice_date date not null,
  total_cents bigint not null check (total_cents >= 0),
  balance_cents bigint not null check (balance_cents >= 0),
  status text not null check (status in ('open', 'paid', 'void')),
  updated_at timestamptz not null default now(),
  primary key (firm_id, invoice_number),
  foreign key (firm_id, client_number, matter_number) references matters (firm_id, client_number, matter_number)
);
create index invoices_client_idx on invoices (firm_id, client_number, matter_number);
create index invoices_updated_idx on invoices (firm_id, updated_at);

create table payment_pages (
  id uuid primary key default gen_random_uuid(),
  firm_id uuid not null references firms (id),
  name text not null check (length(name) between 1 and 200),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  account text not null check (account in ('operating', 'trust')),
  create_posting_record boolean not null default true,
  surcharge_bps integer not null default 0 check (surcharge_bps between 0 and 1000),
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (firm_id, id)
);

create table payments (
  id uuid primary key default gen_random_uuid(),
  firm_id uuid not null references firms (id),
  processor_id text not null,
  processed_at timestamptz not null,
  amount_cents bigint not null check (amount_cents > 0),
  surcharge_cents bigint not null default 0 check (surcharge_cents >= 0 and surcharge_cents < amount_cents),
  method text not null check (method in ('card', 'echeck')),
  card_brand text,
  last4 text check (last4 ~ '^[0-9]{4}$'),
  account text not null check (account in ('operating', 'trust')),
  payer_name text not null,
  payer_email text,
  invoice_numbers text[] not null default '{}',
  client_number text,
  matter_number text,
  payer_allocations jsonb,
  origin text not null check (origin in ('connect', 'payment_page', 'enter_payment', 'payment_schedule', 'quick_link')),
  payment_page_id uuid,
  status text not null default 'approved'
    check (status in ('approved', 'declined', 'voided', 'refunded', 'charged_back')),
  reversed_at timestamptz,
  created_at timestamptz not null default now(),
  unique (firm_id, processor_id),
  unique (firm_id, id),
  foreign key (firm_id, payment_page_id) references payment_pages (firm_id, id),
  check ((origin = 'payment_page') = (payment_page_id is not null))
);
create index payments_list_idx on payments (firm_id, processed_at desc, id desc);

create table batches (
  id uuid primary key default gen_random_uuid(),
  firm_id uuid not null references firms (id),
  seq integer not null check (seq >= 1),
  file_name text not null,
  file_format text not null check (file_format in ('paybridge-csv', 'juris-csv')),
  content bytea not null,
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  line_count integer not null check (line_count >= 1),
  total_cents bigint not null,
  record_count integer not null check (record_count >= 1),
  status text not null default 'queued' check (status in ('queued', 'delivered')),
  created_by text not null,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  unique (firm_id, seq),
  unique (firm_id, id),
  check ((status = 'delivered') = (delivered_at is not null))
);
create index batches_undelivered_idx on batches (firm_id, seq) where status = 'queued';

create table posting_records (
  id uuid primary key default gen_random_uuid(),
  firm_id uuid not null,
  payment_id uuid not null,
  reversal_of uuid,
  status text not null check (status in ('pending', 'incomplete', 'queued', 'posted', 'removed')),
  reasons text[] not null default '{}',
  from_payment_page boolean not null default false,
  amount_cents bigint not null check (amount_cents <> 0),
  surcharge_cents bigint not null default 0,
  account text not null check (account in ('operating', 'trust')),
  memo text not null default '',
  removal_note text,
  batch_id uuid,
  version integer not null default 1,
  -- copied from the payment so that each view's keyset page and count are served by one index
  processed_at timestamptz not null,
  payer_name text not null,
  origin text not null,
  method text not null,
  invoice_numbers text[] not null default '{}',
  search_text text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  status_changed_at timestamptz not null default now(),
  unique (firm_id, id),
  foreign key (firm_id, payment_id) references payments (firm_id, id),
  foreign key (firm_id, reversal_of) references posting_records (firm_id, id),
  -- deferred: a batch's records are claimed before its file is rendered, in one transaction
  foreign key (firm_id, batch_id) references batches (firm_id, id) deferrable initially deferred,
  check ((status in ('queued', 'posted')) = (batch_id is not null)),
  check ((status = 'incomplete') = (cardinality(reasons) > 0) or status = 'removed')
);
-- one original record per payment, one reversal per original
create unique index posting_records_payment_key on posting_records (firm_id, payment_id) where reversal_of is null;
create unique index posting_records_reversal_key on posting_records (firm_id, reversal_of) where reversal_of is not null;
create index posting_records_view_idx on posting_records (firm_id, status, processed_at desc, id desc);
create index posting_records_all_idx on posting_records (firm_id, processed_at desc, id desc);
create index posting_records_batch_idx on posting_records (firm_id, batch_id) where batch_id is not null;

create table allocations (
  firm_id uuid not null,
  record_id uuid not null,
  line integer not null check (line >= 1),
  invoice_number text,
  client_number text,
  matter_number text,
  amount_cents bigint not null check (amount_cents <> 0),
  primary key (firm_id, record_id, line),
  foreign key (firm_id, record_id) references posting_records (firm_id, id) on delete cascade,
  check (invoice_number is not null or (client_number is not null and matter_number is not null))
);
create index allocations_invoice_idx on allocations (firm_id, invoice_number) where invoice_number is not null;

-- One batch line per record allocation, ever: a record cannot be in two batches.
create table batch_lines (
  firm_id uuid not null,
  batch_id uuid not null,
  record_id uuid not null,
  line integer not null,
  file_line integer not null,
  amount_cents bigint not null,
  primary key (firm_id, record_id, line),
  unique (firm_id, batch_id, file_line),
  foreign key (firm_id, batch_id) references batches (firm_id, id) deferrable initially deferred,
  foreign key (firm_id, record_id) references posting_records (firm_id, id)
);

create table audit_events (
  id bigint generated always as identity primary key,
  firm_id uuid not null references firms (id),
  at timestamptz not null default now(),
  actor_kind text not null check (actor_kind in ('user', 'agent', 'system')),
  actor_id text,
  actor_label text not null,
  action text not null,
  record_id uuid,
  batch_id uuid,
  from_status text,
  to_status text,
  detail jsonb
);
create index audit_events_record_idx on audit_events (firm_id, record_id, id) where record_id is not null;

create table idempotency_keys (
  firm_id uuid not null references firms (id),
  principal text not null,
  key text not null,
  request_hash text not null,
  status_code integer not null,
  response_body jsonb,
  created_at timestamptz not null default now(),
  primary key (firm_id, principal, key)
);

create table agent_status (
  firm_id uuid primary key references firms (id),
  last_sync_at timestamptz,
  last_seen_at timestamptz
);

-- A batch's file never changes once made; only its delivery is recorded later.
create function paybridge_batch_immutable() returns trigger language plpgsql as $$
begin
  if new.firm_id <> old.firm_id or new.seq <> old.seq or new.file_name <> old.file_name
     or new.content <> old.content or new.sha256 <> old.sha256 or new.line_count <> old.line_count
     or new.total_cents <> old.total_cents or new.record_count <> old.record_count
     or new.created_at <> old.created_at or new.created_by <> old.created_by then
    raise exception 'batch % is immutable: only its delivery may be recorded', old.id;
  end if;
  return new;
end $$;
create trigger batches_immutable before update on batches
  for each row execute function paybridge_batch_immutable();

create function paybridge_append_only() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only', tg_table_name;
end $$;
create trigger batches_no_delete before delete on batches
  for each row execute function paybridge_append_only();
create trigger batch_lines_append_only before update or delete on batch_lines
  for each row execute function paybridge_append_only();
create trigger audit_events_append_only before update or delete on audit_events
  for each row execute function paybridge_append_only();
