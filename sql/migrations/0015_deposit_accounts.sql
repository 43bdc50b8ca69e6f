-- Issue 13: deposit accounts. A receipt for Elite, Aderant or 3E needs the bank account
-- code, the ledger (GL) code and the transaction type of the account the money went to,
-- so a firm keeps its deposit accounts, each of kind operating or trust, with those codes
-- and a default A/R message. The `account` columns stay (the API keeps `account`); each
-- row that picks an account now names one of the firm's deposit accounts of that kind,
-- and a composite foreign key holds the kind equal to the account's.
create table deposit_accounts (
  firm_id uuid not null references firms (id),
  id uuid not null default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 100),
  kind text not null check (kind in ('operating', 'trust')),
  -- Printable ASCII, at most 30: what an MMS import takes as a code (the file quotes a comma).
  bank_account_code text not null default '' check (bank_account_code ~ '^[ -~]{0,30}$'),
  ledger_code text not null default '' check (ledger_code ~ '^[ -~]{0,30}$'),
  trans_type text not null default '' check (trans_type ~ '^[ -~]{0,30}$'),
  -- The A/R message a new posting record of this account starts with.
  default_memo text not null default '' check (length(default_memo) <= 500),
  is_default boolean not null default false,
  archived boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (firm_id, id),
  -- What the kind-checking foreign keys below point at.
  unique (firm_id, id, kind),
  -- The default of a kind is what takes its payments: it cannot be archived.
  check (not (is_default and archived))
);
create unique index deposit_accounts_name_key on deposit_accounts (firm_id, lower(name));
-- At most one default per kind; Settings moves it, never removes it, so there is exactly one.
create unique index deposit_accounts_default_key on deposit_accounts (firm_id, kind) where is_default;

-- Every firm, existing or new, has an Operating and a Trust account as its defaults.
create function add_default_deposit_accounts(p_firm uuid) returns void
language sql volatile
as $$
  insert into deposit_accounts (firm_id, name, kind, is_default)
  values (p_firm, 'Operating', 'operating', true), (p_firm, 'Trust', 'trust', true)
$$;
select add_default_deposit_accounts(id) from firms;

create function firms_default_deposit_accounts() returns trigger
language plpgsql
as $$
begin
  perform add_default_deposit_accounts(new.id);
  return null;
end $$;
create trigger firms_default_deposit_accounts after insert on firms
  for each row execute function firms_default_deposit_accounts();

-- A row written without a deposit account gets the firm's default of its kind: the app
-- names one always; this keeps bulk SQL (the bench's generator, data loads) writing valid rows.
create function fill_default_deposit_account() returns trigger
language plpgsql
as $$
begin
  if new.deposit_account_id is null then
    select d.id into new.deposit_account_id
    from deposit_accounts d
    where d.firm_id = new.firm_id and d.kind = new.account and d.is_default;
  end if;
  return new;
end $$;

alter table payments add column deposit_account_id uuid;
alter table payment_pages add column deposit_account_id uuid;
alter table links add column deposit_account_id uuid;
alter table payment_schedules add column deposit_account_id uuid;

update payments p set deposit_account_id = d.id
  from deposit_accounts d where d.firm_id = p.firm_id and d.kind = p.account and d.is_default;
update payment_pages p set deposit_account_id = d.id
  from deposit_accounts d where d.firm_id = p.firm_id and d.kind = p.account and d.is_default;
update links l set deposit_account_id = d.id
  from deposit_accounts d where d.firm_id = l.firm_id and d.kind = l.account and d.is_default;
update payment_schedules s set deposit_account_id = d.id
  from deposit_accounts d where d.firm_id = s.firm_id and d.kind = s.account and d.is_default;

alter table payments
  alter column deposit_account_id set not null,
  add constraint payments_deposit_account_fkey foreign key (firm_id, deposit_account_id, account)
    references deposit_accounts (firm_id, id, kind);
alter table payment_pages
  alter column deposit_account_id set not null,
  add constraint payment_pages_deposit_account_fkey foreign key (firm_id, deposit_account_id, account)
    references deposit_accounts (firm_id, id, kind);
alter table links
  alter column deposit_account_id set not null,
  add constraint links_deposit_account_fkey foreign key (firm_id, deposit_account_id, account)
    references deposit_accounts (firm_id, id, kind);
alter table payment_schedules
  alter column deposit_account_id set not null,
  add constraint payment_schedules_deposit_account_fkey foreign key (firm_id, deposit_account_id, account)
    references deposit_accounts (firm_id, id, kind);

create trigger payments_default_deposit_account before insert on payments
  for each row execute function fill_default_deposit_account();
create trigger payment_pages_default_deposit_account before insert on payment_pages
  for each row execute function fill_default_deposit_account();
create trigger links_default_deposit_account before insert on links
  for each row execute function fill_default_deposit_account();
create trigger payment_schedules_default_deposit_account before insert on payment_schedules
  for each row execute function fill_default_deposit_account();

-- paybridge-csv version 2 adds the deposit account's codes; a firm chooses its version,
-- and each batch keeps the version its file was rendered in.
alter table firms add column file_format_version smallint not null default 1 check (file_format_version in (1, 2));
alter table batches add column file_format_version smallint not null default 1 check (file_format_version in (1, 2));

-- take_payment as in migration 0013, now writing the payment's deposit account and the
-- record's memo (its account's default A/R message).
drop function take_payment(uuid, jsonb, jsonb, jsonb, jsonb, text[], text[], text[], text);
create function take_payment(p_firm uuid, p_payment jsonb, p_record jsonb, p_allocations jsonb, p_audit jsonb,
  p_numbers text[], p_clients text[], p_matters text[], p_fingerprint text)
returns text
language plpgsql volatile
set plan_cache_mode = force_generic_plan
as $$
declare
  v_payment uuid;
begin
  insert into payments (id, firm_id, processor_id, processed_at, amount_cents, surcharge_cents, method, card_brand, card_funding, last4, account,
    deposit_account_id, payer_name, payer_email, invoice_numbers, client_number, matter_number, payer_allocations, origin, payment_page_id)
  select p.id, p_firm, p.processor_id, p.processed_at, p.amount_cents, p.surcharge_cents, p.method, p.card_brand, p.card_funding, p.last4, p.account,
    p.deposit_account_id, p.payer_name, p.payer_email, p.invoice_numbers, p.client_number, p.matter_number, p.payer_allocations, p.origin, p.payment_page_id
  from jsonb_populate_record(null::payments, p_payment) p
  on conflict (firm_id, processor_id) do nothing
  returning id into v_payment;
  if v_payment is null then
    return 'duplicate';
  end if;
  if p_record is not null then
    perform lock_mirror(p_firm, false);
    perform lock_invoices(p_firm, p_numbers);
    if md5(intake_facts(p_firm, p_numbers, p_clients, p_matters)::text) is distinct from p_fingerprint then
      raise exception 'the invoices changed while the payment was classified' using errcode = 'PB001';
    end if;
    insert into posting_records (id, firm_id, payment_id, status, reasons, from_payment_page, amount_cents, surcharge_cents, account,
      memo, processed_at, payer_name, origin, method, invoice_numbers, refers_to, search_text, created_at, updated_at, status_changed_at)
    select r.id, p_firm, v_payment, r.status, r.reasons, r.from_payment_page, r.amount_cents, r.surcharge_cents, r.account,
      coalesce(r.memo, ''), r.processed_at, r.payer_name, r.origin, r.method, r.invoice_numbers, r.refers_to, r.search_text, r.created_at, r.created_at, r.created_at
    from jsonb_populate_record(null::posting_records, p_record) r;
    insert into allocations (firm_id, record_id, line, invoice_number, client_number, matter_number, amount_cents)
    select p_firm, (p_record->>'id')::uuid, a.line, a.invoice_number, a.client_number, a.matter_number, a.amount_cents
    from jsonb_populate_recordset(null::allocations, p_allocations) a;
  end if;
  insert into audit_events (firm_id, actor_kind, actor_id, actor_label, action, record_id, to_status, detail)
  select p_firm, e.actor_kind, e.actor_id, e.actor_label, e.action, e.record_id, e.to_status, e.detail
  from jsonb_populate_recordset(null::audit_events, p_audit) with ordinality as e
  order by e.ordinality;
  return 'taken';
end $$;
