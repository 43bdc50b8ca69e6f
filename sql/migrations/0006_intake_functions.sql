-- What other records already apply to each of some invoices: money the MMS balance does
-- not show yet (SPEC §3.3: pending and queued records; also posted ones delivered after
-- the invoice was last synced, until the MMS's new balance comes back). Reversals
-- (negative lines) do not free a balance until the MMS has taken them.
--
-- It is a function because every payment taken in asks it, and planning this four-table
-- join took PostgreSQL 0.45 ms (1.8 ms cold) against 0.05 ms to run it. A PL/pgSQL
-- function keeps its plan for the connection's life, and the generic plan is the right
-- one for any firm: every lookup goes through (firm, invoice number) or a primary key.
-- src/usecases/postings/classify-record.ts calls it.
create function invoice_applied(p_firm uuid, p_numbers text[], p_exclude uuid[])
returns table (invoice text, applied_cents int8)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
begin
  -- Driven from each invoice, then its allocations by (firm, invoice number): a plan
  -- that stays right whatever the table statistics say when the connection plans it.
  return query
    select i.invoice_number, applied.cents
    from unnest(p_numbers) as n(invoice)
    join invoices i on i.firm_id = p_firm and i.invoice_number = n.invoice
    cross join lateral (
      select sum(a.amount_cents)::int8 as cents
      from allocations a
      join posting_records r on r.firm_id = a.firm_id and r.id = a.record_id
      left join batches b on b.firm_id = r.firm_id and b.id = r.batch_id
      where a.firm_id = p_firm
        and a.invoice_number = i.invoice_number
        and a.amount_cents > 0
        and (r.status in ('pending', 'queued') or (r.status = 'posted' and b.delivered_at > i.updated_at))
        and r.id <> all (p_exclude)
    ) applied
    where applied.cents is not null;
end $$;

-- What classification needs about some invoices: each invoice's facts and what other
-- records already apply to it, read in one snapshot.
create function invoice_facts(p_firm uuid, p_numbers text[], p_exclude uuid[])
returns table (invoice text, client text, matter text, dated date, balance_cents int8, invoice_status text, applied_cents int8)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
begin
  return query
    select i.invoice_number, i.client_number, i.matter_number, i.invoice_date, i.balance_cents, i.status, coalesce(a.applied_cents, 0)::int8
    from unnest(p_numbers) as n(invoice)
    join invoices i on i.firm_id = p_firm and i.invoice_number = n.invoice
    left join invoice_applied(p_firm, p_numbers, p_exclude) a on a.invoice = i.invoice_number
    order by i.invoice_number;
end $$;

-- Locks some invoices of a firm until the transaction ends, in invoice-number order, so
-- that two transactions locking overlapping invoices never wait on each other in a circle.
create function lock_invoices(p_firm uuid, p_numbers text[])
returns void
language plpgsql volatile
set plan_cache_mode = force_generic_plan
as $$
begin
  perform 1 from unnest(p_numbers) as n(invoice) join invoices i on i.firm_id = p_firm and i.invoice_number = n.invoice
    order by i.invoice_number for update of i;
end $$;

-- The same, the invoices locked first, in number order, so two records being classified
-- against one invoice are classified one after the other. The facts are read by a later
-- statement, whose snapshot sees what the transaction that held the lock committed.
create function invoice_state(p_firm uuid, p_numbers text[], p_exclude uuid[])
returns table (invoice text, client text, matter text, dated date, balance_cents int8, invoice_status text, applied_cents int8)
language plpgsql volatile
set plan_cache_mode = force_generic_plan
as $$
begin
  perform lock_invoices(p_firm, p_numbers);
  return query select * from invoice_facts(p_firm, p_numbers, p_exclude);
end $$;

-- The same facts as one JSON array in invoice order: what intake classifies with, and
-- (its md5) the fingerprint take_payment compares to see whether they changed since.
create function invoice_facts_json(p_firm uuid, p_numbers text[])
returns jsonb
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
begin
  return (select coalesce(jsonb_agg(to_jsonb(f) order by f.invoice), '[]'::jsonb) from invoice_facts(p_firm, p_numbers, '{}') f);
end $$;

-- Payment intake in one statement (src/usecases/payments/take-payment.ts). The server reads
-- the invoices' facts and their fingerprint (invoice_facts_json and its md5), classifies the payment, then calls this with
-- everything to write. It inserts the payment (a repeated processor id answers
-- 'duplicate' and writes nothing), locks the invoices the record names, and checks that
-- their fingerprint is still the one the classification saw: if another payment changed
-- them meanwhile, it raises PB001, the whole statement is undone, and the server classifies
-- again. Otherwise it writes the record, its allocations and the audit events. So a payment
-- is classified against exactly the state it is written against, as under the lock held
-- across a transaction, with one round trip instead of five.
create function take_payment(p_firm uuid, p_payment jsonb, p_record jsonb, p_allocations jsonb, p_audit jsonb, p_numbers text[], p_fingerprint text)
returns text
language plpgsql volatile
set plan_cache_mode = force_generic_plan
as $$
declare
  v_payment uuid;
begin
  insert into payments (id, firm_id, processor_id, processed_at, amount_cents, surcharge_cents, method, card_brand, last4, account,
    payer_name, payer_email, invoice_numbers, client_number, matter_number, payer_allocations, origin, payment_page_id)
  select p.id, p_firm, p.processor_id, p.processed_at, p.amount_cents, p.surcharge_cents, p.method, p.card_brand, p.last4, p.account,
    p.payer_name, p.payer_email, p.invoice_numbers, p.client_number, p.matter_number, p.payer_allocations, p.origin, p.payment_page_id
  from jsonb_populate_record(null::payments, p_payment) p
  on conflict (firm_id, processor_id) do nothing
  returning id into v_payment;
  if v_payment is null then
    return 'duplicate';
  end if;
  if p_record is not null then
    if cardinality(p_numbers) > 0 then
      perform lock_invoices(p_firm, p_numbers);
      if md5(invoice_facts_json(p_firm, p_numbers)::text) is distinct from p_fingerprint then
        raise exception 'the invoices changed while the payment was classified' using errcode = 'PB001';
      end if;
    end if;
    insert into posting_records (id, firm_id, payment_id, status, reasons, from_payment_page, amount_cents, surcharge_cents, account,
      processed_at, payer_name, origin, method, invoice_numbers, search_text, created_at, updated_at, status_changed_at)
    select r.id, p_firm, v_payment, r.status, r.reasons, r.from_payment_page, r.amount_cents, r.surcharge_cents, r.account,
      r.processed_at, r.payer_name, r.origin, r.method, r.invoice_numbers, r.search_text, r.created_at, r.created_at, r.created_at
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

-- The API token a request presents, with its user: asked on every API call, so it keeps
-- its plan (planning the join cost PostgreSQL ten times what running it does).
create function api_token_by_hash(p_hash text)
returns table (id uuid, firm_id uuid, kind text, user_id uuid, revoked_at timestamptz, last_used_at timestamptz, email text, role text, disabled_at timestamptz)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
begin
  return query
    select t.id, t.firm_id, t.kind, t.user_id, t.revoked_at, t.last_used_at, u.email, u.role, u.disabled_at
    from api_tokens t
    left join users u on u.id = t.user_id and u.firm_id = t.firm_id
    where t.token_hash = p_hash;
end $$;
