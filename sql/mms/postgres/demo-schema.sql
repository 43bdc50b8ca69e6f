-- The demo matter management system: a small law-firm billing database that stands in
-- for Elite, ProLaw, Aderant or Juris in tests and `npm start`. It is not paybridge's
-- own database; paybridge reaches it only through the functions of install.sql.
--
-- Money is BIGINT cents. Safe to run again: every statement is create-if-missing or
-- create-or-replace, and nothing here drops or rewrites data. PostgreSQL 15 and PGlite.

create table if not exists mms_clients (
  client_number text primary key check (length(client_number) between 1 and 50),
  name text not null check (length(name) between 1 and 200),
  updated_at timestamptz not null default now()
);

create table if not exists mms_matters (
  client_number text not null references mms_clients (client_number),
  matter_number text not null check (length(matter_number) between 1 and 50),
  description text not null default '',
  updated_at timestamptz not null default now(),
  primary key (client_number, matter_number)
);

create table if not exists mms_invoices (
  invoice_number text primary key check (length(invoice_number) between 1 and 50),
  client_number text not null,
  matter_number text not null,
  invoice_date date not null,
  total_cents bigint not null check (total_cents >= 0),
  -- A reversal can only give back what was paid, so the open balance stays within the total.
  balance_cents bigint not null check (balance_cents >= 0 and balance_cents <= total_cents),
  status text not null default 'open' check (status in ('open', 'paid', 'void')),
  updated_at timestamptz not null default now(),
  foreign key (client_number, matter_number) references mms_matters (client_number, matter_number)
);

-- Every receipt line applied to the ledger, whichever way it arrived: straight from the
-- paybridge agent ('procedure') or by the credit upload of a delivered posting file.
-- (record_id, line) is paybridge's natural key for a line, so a line lands once.
create table if not exists mms_receipts (
  id bigint generated always as identity primary key,
  record_id text not null check (length(record_id) between 1 and 100),
  line integer not null check (line >= 1),
  invoice_number text references mms_invoices (invoice_number),
  client_number text not null,
  matter_number text not null,
  amount_cents bigint not null check (amount_cents <> 0),
  posting_date date not null,
  account text not null check (account in ('operating', 'trust')),
  memo text not null default '',
  source text not null check (source in ('procedure', 'credit_upload')),
  created_at timestamptz not null default now(),
  unique (record_id, line),
  -- Operating money pays an invoice; trust money is held for the matter, never applied.
  check ((account = 'operating') = (invoice_number is not null)),
  foreign key (client_number, matter_number) references mms_matters (client_number, matter_number)
);

create index if not exists mms_clients_updated_at on mms_clients (updated_at);
create index if not exists mms_matters_updated_at on mms_matters (updated_at);
create index if not exists mms_invoices_updated_at on mms_invoices (updated_at);
create index if not exists mms_receipts_invoice on mms_receipts (invoice_number);
create index if not exists mms_receipts_matter_trust on mms_receipts (client_number, matter_number) where account = 'trust';

-- The trust ledger is the trust receipts themselves, summed per matter: a stored balance
-- could drift from the lines that make it up.
create or replace view mms_trust_balances as
  select client_number, matter_number, sum(amount_cents)::bigint as balance_cents, max(created_at) as updated_at
  from mms_receipts
  where account = 'trust'
  group by client_number, matter_number;

-- The sync functions hand out rows changed after the agent's last sync, so every real
-- change must move updated_at; an update that changes nothing leaves it alone.
create or replace function mms_touch_updated_at() returns trigger
language plpgsql as $$
begin
  if row(new.*) is distinct from row(old.*) then
    new.updated_at := now();
  end if;
  return new;
end;
$$;

create or replace trigger mms_clients_touch before update on mms_clients
  for each row execute function mms_touch_updated_at();
create or replace trigger mms_matters_touch before update on mms_matters
  for each row execute function mms_touch_updated_at();
create or replace trigger mms_invoices_touch before update on mms_invoices
  for each row execute function mms_touch_updated_at();

-- A repeated line must be the same line: the same key carrying different money means a
-- bug upstream, and answering 'already_applied' would hide it.
create or replace function mms_receipt_repeat(
  p_existing mms_receipts,
  p_invoice_number text,
  p_amount_cents bigint,
  p_account text
) returns text
language plpgsql as $$
begin
  if p_existing.account is distinct from p_account
     or p_existing.amount_cents is distinct from p_amount_cents
     or p_existing.invoice_number is distinct from p_invoice_number then
    raise exception 'receipt % line % was already applied as % cents on account %, invoice %; refusing a different line under the same key',
      p_existing.record_id, p_existing.line, p_existing.amount_cents, p_existing.account, coalesce(p_existing.invoice_number, '-');
  end if;
  return 'already_applied';
end;
$$;

-- Applies one receipt line to the ledger, once. Shared by the paybridge procedure sink and
-- the credit upload so both follow the same rules. Returns 'applied', or 'already_applied'
-- when (record_id, line) is already on the ledger with the same invoice, account and
-- amount. Every refusal raises SQLSTATE P0001 (raise_exception) and rolls back the call.
create or replace function mms_apply_receipt(
  p_source text,
  p_record_id text,
  p_line integer,
  p_invoice_number text,
  p_client_number text,
  p_matter_number text,
  p_amount_cents bigint,
  p_posting_date date,
  p_account text,
  p_memo text
) returns text
language plpgsql as $$
declare
  v_invoice_number text := nullif(btrim(p_invoice_number), '');
  v_client_number text := nullif(btrim(p_client_number), '');
  v_matter_number text := nullif(btrim(p_matter_number), '');
  v_invoice mms_invoices%rowtype;
  v_existing mms_receipts%rowtype;
  v_new_balance bigint;
  v_trust_balance bigint;
  v_receipt_id bigint;
begin
  if p_record_id is null or btrim(p_record_id) = '' then
    raise exception 'receipt has no record id';
  end if;
  if p_line is null or p_line < 1 then
    raise exception 'receipt % line %: line must be 1 or more', p_record_id, coalesce(p_line::text, 'null');
  end if;
  if p_account is null or p_account not in ('operating', 'trust') then
    raise exception 'receipt % line %: unknown account "%" (operating or trust)', p_record_id, p_line, coalesce(p_account, 'null');
  end if;
  if p_amount_cents is null or p_amount_cents = 0 then
    raise exception 'receipt % line %: amount must be a non-zero number of cents', p_record_id, p_line;
  end if;
  if p_posting_date is null then
    raise exception 'receipt % line %: posting date is missing', p_record_id, p_line;
  end if;

  -- A line seen before is answered before the invoice is looked at: by now the invoice
  -- may be paid, void or gone, and the earlier call already did the work.
  select * into v_existing from mms_receipts r where r.record_id = p_record_id and r.line = p_line;
  if found then
    return mms_receipt_repeat(v_existing, v_invoice_number, p_amount_cents, p_account);
  end if;

  -- Lock what the line spends from (the invoice, or the matter for trust money) so two
  -- lines cannot both spend one balance, and a concurrent repeat of this very line is
  -- seen by the second look-up below instead of being checked against the new balance.
  if p_account = 'operating' then
    if v_invoice_number is null then
      raise exception 'receipt % line %: an operating line needs an invoice number', p_record_id, p_line;
    end if;
    select * into v_invoice from mms_invoices i where i.invoice_number = v_invoice_number for update;
    if not found then
      raise exception 'receipt % line %: invoice % does not exist', p_record_id, p_line, v_invoice_number;
    end if;
  else
    if v_invoice_number is not null then
      raise exception 'receipt % line %: a trust line is held for its matter and names no invoice (got %)',
        p_record_id, p_line, v_invoice_number;
    end if;
    perform 1 from mms_matters m
      where m.client_number = v_client_number and m.matter_number = v_matter_number for update;
    if not found then
      raise exception 'receipt % line %: client % matter % does not exist',
        p_record_id, p_line, coalesce(v_client_number, '-'), coalesce(v_matter_number, '-');
    end if;
  end if;

  select * into v_existing from mms_receipts r where r.record_id = p_record_id and r.line = p_line;
  if found then
    return mms_receipt_repeat(v_existing, v_invoice_number, p_amount_cents, p_account);
  end if;

  if p_account = 'operating' then
    if v_invoice.status = 'void' then
      raise exception 'receipt % line %: invoice % is void', p_record_id, p_line, v_invoice_number;
    end if;
    if v_client_number is not null and v_client_number <> v_invoice.client_number
       or v_matter_number is not null and v_matter_number <> v_invoice.matter_number then
      raise exception 'receipt % line %: invoice % belongs to client % matter %, not client % matter %',
        p_record_id, p_line, v_invoice_number, v_invoice.client_number, v_invoice.matter_number,
        coalesce(v_client_number, '-'), coalesce(v_matter_number, '-');
    end if;
    v_new_balance := v_invoice.balance_cents - p_amount_cents;
    if v_new_balance < 0 then
      raise exception 'receipt % line %: % cents exceeds the open balance of % cents on invoice %',
        p_record_id, p_line, p_amount_cents, v_invoice.balance_cents, v_invoice_number;
    end if;
    if v_new_balance > v_invoice.total_cents then
      raise exception 'receipt % line %: a reversal of % cents would raise invoice % above its total of % cents',
        p_record_id, p_line, -p_amount_cents, v_invoice_number, v_invoice.total_cents;
    end if;
    v_client_number := v_invoice.client_number;
    v_matter_number := v_invoice.matter_number;
  elsif p_amount_cents < 0 then
    -- Client trust money can never be overdrawn.
    select coalesce(sum(r.amount_cents), 0) into v_trust_balance from mms_receipts r
      where r.account = 'trust' and r.client_number = v_client_number and r.matter_number = v_matter_number;
    if v_trust_balance + p_amount_cents < 0 then
      raise exception 'receipt % line %: a reversal of % cents exceeds the trust balance of % cents for client % matter %',
        p_record_id, p_line, -p_amount_cents, v_trust_balance, v_client_number, v_matter_number;
    end if;
  end if;

  insert into mms_receipts (record_id, line, invoice_number, client_number, matter_number,
                            amount_cents, posting_date, account, memo, source)
  values (p_record_id, p_line, v_invoice_number, v_client_number, v_matter_number,
          p_amount_cents, p_posting_date, p_account, coalesce(p_memo, ''), p_source)
  on conflict (record_id, line) do nothing
  returning id into v_receipt_id;

  if v_receipt_id is null then
    -- The same key arrived for another invoice or matter in a concurrent session; the
    -- unique index made us wait for its commit, so its row is visible now.
    select * into v_existing from mms_receipts r where r.record_id = p_record_id and r.line = p_line;
    return mms_receipt_repeat(v_existing, v_invoice_number, p_amount_cents, p_account);
  end if;

  if p_account = 'operating' then
    update mms_invoices i
      set balance_cents = v_new_balance,
          status = case when v_new_balance = 0 then 'paid' else 'open' end
      where i.invoice_number = v_invoice_number;
  end if;
  return 'applied';
end;
$$;
