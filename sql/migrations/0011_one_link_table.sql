-- Payment links and quick links become one table of links with a kind. They were two
-- near-copies (0003): the same token, lease, payment and lifecycle columns, differing only
-- in what the link pays. Every row moves with its id, token hash, status, lease and
-- payment; nothing referenced either table, so no foreign key has to follow them.
--   payment: Make A Payment's link: chosen invoices (allocations), operating, 24 hours.
--   quick:   Send For Payment: an amount and a description, into either account.
-- "expired" is still not stored: an outstanding link past expires_at is expired.
create table links (
  id uuid primary key default gen_random_uuid(),
  firm_id uuid not null references firms (id),
  kind text not null check (kind in ('payment', 'quick')),
  token_hash text not null unique,
  amount_cents bigint not null check (amount_cents > 0),
  account text not null check (account in ('operating', 'trust')),
  -- payment links: the allocations staff chose and their one client, if one
  allocations jsonb,
  client_number text,
  -- quick links: what the payer is paying for
  description text check (length(description) between 1 and 500),
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
  cancelled_at timestamptz,
  unique (firm_id, id),
  foreign key (firm_id, payment_id) references payments (firm_id, id),
  check ((status = 'paid') = (payment_id is not null)),
  check (case kind
    when 'payment' then allocations is not null and description is null and account = 'operating'
    else allocations is null and client_number is null and description is not null
  end)
);
create index links_list_idx on links (firm_id, kind, created_at desc, id desc);

insert into links (id, firm_id, kind, token_hash, amount_cents, account, allocations, client_number, description,
                   payer_name, payer_email, status, paying_until, payment_id, created_by, created_at, expires_at, paid_at, cancelled_at)
select id, firm_id, 'payment', token_hash, amount_cents, 'operating', allocations, client_number, null,
       payer_name, payer_email, status, paying_until, payment_id, created_by, created_at, expires_at, paid_at, null
  from payment_links;

insert into links (id, firm_id, kind, token_hash, amount_cents, account, allocations, client_number, description,
                   payer_name, payer_email, status, paying_until, payment_id, created_by, created_at, expires_at, paid_at, cancelled_at)
select id, firm_id, 'quick', token_hash, amount_cents, account, null, null, description,
       payer_name, payer_email, status, paying_until, payment_id, created_by, created_at, expires_at, paid_at, cancelled_at
  from quick_links;

drop table payment_links;
drop table quick_links;
