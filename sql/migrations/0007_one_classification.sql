-- paybridge schema, version 7: one classification on every path (SPEC §3.4).
--
-- A record's status is a function of the payment as taken in, the accountant's choices,
-- the firm's settings and the mirror less what other records take. The accountant's
-- choices get columns of their own, so that classifying again starts from them and not
-- from the last verdict's output (whose lines name the invoice's client, which hid a
-- client mismatch from the sync's re-classification).

-- An accountant's allocations (Edit Posting Record) replace the payer's terms; without
-- them the record's lines are inferred from the payment afresh each time.
alter table posting_records add column reallocated boolean not null default false;
-- "A third party pays this client's invoice": accepted in Edit, recorded in the audit.
alter table posting_records add column client_mismatch_accepted boolean not null default false;
-- Every invoice number the record refers to (typed by the payer, in the payer's split, in
-- its lines): the records a changed invoice may move are found through it.
alter table posting_records add column refers_to text[] not null default '{}';

update posting_records r set reallocated = true
where exists (select from audit_events e where e.firm_id = r.firm_id and e.record_id = r.id and e.action = 'edited');

update posting_records r set refers_to = refs.numbers
from (
  select r2.firm_id, r2.id, array(
    select distinct n from (
      select unnest(r2.invoice_numbers) as n
      union all
      select a.invoice_number from allocations a where a.firm_id = r2.firm_id and a.record_id = r2.id and a.invoice_number is not null
      union all
      select x->>'invoiceNumber' from payments p, jsonb_array_elements(coalesce(p.payer_allocations, '[]'::jsonb)) x
        where p.firm_id = r2.firm_id and p.id = r2.payment_id and x->>'invoiceNumber' is not null
    ) all_numbers where n <> '' order by n
  ) as numbers
  from posting_records r2
  where r2.reversal_of is null
) refs
where r.firm_id = refs.firm_id and r.id = refs.id and cardinality(refs.numbers) > 0;

-- Only open records are ever re-classified; a status change out of them (Post All) adds
-- no entry here, since the new row version does not match the predicate.
create index posting_records_open_refs_idx on posting_records using gin (firm_id, refers_to)
  where status in ('pending', 'incomplete');

-- When a sync of a posted line's invoice, read after the line was delivered, brought the
-- invoice's balance: from then on the mirror shows the money and the line takes nothing.
alter table allocations add column reflected_at timestamptz;
-- The rule until now: a posted line counted until its invoice changed after the delivery.
update allocations a set reflected_at = i.updated_at
from posting_records r, batches b, invoices i
where r.firm_id = a.firm_id and r.id = a.record_id and r.status = 'posted'
  and b.firm_id = r.firm_id and b.id = r.batch_id and b.delivered_at <= i.updated_at
  and i.firm_id = a.firm_id and i.invoice_number = a.invoice_number;

-- What other records already take from each of some invoices. src/domain/claims.ts
-- (takesFromInvoice) is the definition; test/db/claims-rule.test.ts holds the two equal.
create or replace function invoice_applied(p_firm uuid, p_numbers text[], p_exclude uuid[])
returns table (invoice text, applied_cents int8)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
begin
  return query
    select i.invoice_number, applied.cents
    from unnest(p_numbers) as n(invoice)
    join invoices i on i.firm_id = p_firm and i.invoice_number = n.invoice
    cross join lateral (
      select sum(a.amount_cents)::int8 as cents
      from allocations a
      join posting_records r on r.firm_id = a.firm_id and r.id = a.record_id
      where a.firm_id = p_firm
        and a.invoice_number = i.invoice_number
        and a.amount_cents > 0
        and (r.status in ('pending', 'queued') or (r.status = 'posted' and a.reflected_at is null))
        and r.id <> all (p_exclude)
    ) applied
    where applied.cents is not null;
end $$;

-- Invoices are locked in code-point order, whatever the database's collation, so that the
-- sync (which sorts its rows the same way in JavaScript) and every classifier take them in
-- one order and never wait on each other in a circle.
create or replace function lock_invoices(p_firm uuid, p_numbers text[])
returns void
language plpgsql volatile
set plan_cache_mode = force_generic_plan
as $$
begin
  perform 1 from unnest(p_numbers) as n(invoice) join invoices i on i.firm_id = p_firm and i.invoice_number = n.invoice
    order by i.invoice_number collate "C" for update of i;
end $$;

-- New invoices and matters, and a change of the firm's auto-apply setting, change how a
-- record being classified right now must be judged, yet lock no row that record's
-- writer could wait on. A writer that adds to the mirror (a sync) or changes the setting
-- holds this lock exclusively; every classifier holds it shared (classifiers never wait
-- on each other), so one of the two sees the other's work.
create function lock_mirror(p_firm uuid, p_exclusive boolean)
returns void
language plpgsql volatile
as $$
begin
  if p_exclusive then
    perform pg_advisory_xact_lock(7305120, hashtext(p_firm::text));
  else
    perform pg_advisory_xact_lock_shared(7305120, hashtext(p_firm::text));
  end if;
end $$;

-- What intake classifies a new record with, as one JSON value: the firm's auto-apply
-- setting, the invoices' facts with what other records take, which of the matters exist,
-- and the incomplete records that refer to the invoices (a pending newcomer can change
-- their reasons). Its md5 is the fingerprint take_payment compares.
create function intake_facts(p_firm uuid, p_numbers text[], p_clients text[], p_matters text[])
returns jsonb
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
begin
  return jsonb_build_object(
    'autoApply', (select f.auto_apply from firms f where f.id = p_firm),
    'invoices', (select coalesce(jsonb_agg(to_jsonb(f) order by f.invoice), '[]'::jsonb) from invoice_facts(p_firm, p_numbers, '{}') f),
    'matters', (select coalesce(jsonb_agg(jsonb_build_array(m.client_number, m.matter_number) order by m.client_number, m.matter_number), '[]'::jsonb)
                from unnest(p_clients, p_matters) as w(c, m2)
                join matters m on m.firm_id = p_firm and m.client_number = w.c and m.matter_number = w.m2),
    -- (only those more claims can still change: see CAN_GAIN_FROM_CLAIMS in reconcile-records.ts)
    'incomplete', (select coalesce(jsonb_agg(r.id::text || ':' || r.version order by r.id), '[]'::jsonb)
                   from posting_records r
                   where r.firm_id = p_firm and r.status = 'incomplete' and r.refers_to && p_numbers and cardinality(p_numbers) > 0
                     and (not ('exceeds_balance' = any(r.reasons)) or (cardinality(r.invoice_numbers) > 1 and not r.reallocated)))
  );
end $$;

drop function take_payment(uuid, jsonb, jsonb, jsonb, jsonb, text[], text);
drop function invoice_facts_json(uuid, text[]);

-- Payment intake in one statement (src/usecases/payments/take-payment.ts), as in
-- migration 0006, now checking the whole of intake_facts: the invoices the record names
-- (locked), the matters, the setting and the incomplete records referring to them.
create function take_payment(p_firm uuid, p_payment jsonb, p_record jsonb, p_allocations jsonb, p_audit jsonb,
  p_numbers text[], p_clients text[], p_matters text[], p_fingerprint text)
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
    perform lock_mirror(p_firm, false);
    perform lock_invoices(p_firm, p_numbers);
    if md5(intake_facts(p_firm, p_numbers, p_clients, p_matters)::text) is distinct from p_fingerprint then
      raise exception 'the invoices changed while the payment was classified' using errcode = 'PB001';
    end if;
    insert into posting_records (id, firm_id, payment_id, status, reasons, from_payment_page, amount_cents, surcharge_cents, account,
      processed_at, payer_name, origin, method, invoice_numbers, refers_to, search_text, created_at, updated_at, status_changed_at)
    select r.id, p_firm, v_payment, r.status, r.reasons, r.from_payment_page, r.amount_cents, r.surcharge_cents, r.account,
      r.processed_at, r.payer_name, r.origin, r.method, r.invoice_numbers, r.refers_to, r.search_text, r.created_at, r.created_at, r.created_at
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
