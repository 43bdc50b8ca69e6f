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
  return query
    select a.invoice_number, sum(a.amount_cents)::int8
    from allocations a
    join posting_records r on r.firm_id = a.firm_id and r.id = a.record_id
    join invoices i on i.firm_id = a.firm_id and i.invoice_number = a.invoice_number
    left join batches b on b.firm_id = r.firm_id and b.id = r.batch_id
    where a.firm_id = p_firm
      and a.invoice_number = any (p_numbers)
      and a.amount_cents > 0
      and (r.status in ('pending', 'queued') or (r.status = 'posted' and b.delivered_at > i.updated_at))
      and r.id <> all (p_exclude)
    group by a.invoice_number;
end $$;

-- What classification needs about some invoices, in one call: each invoice's facts and
-- what other records already apply to it. The invoices are locked first, in number
-- order, so two payments naming the same invoice are classified one after the other;
-- the facts are read by a later statement, whose snapshot sees what the transaction
-- that held the lock committed.
create function invoice_state(p_firm uuid, p_numbers text[], p_exclude uuid[])
returns table (invoice text, client text, matter text, dated date, balance_cents int8, invoice_status text, applied_cents int8)
language plpgsql volatile
set plan_cache_mode = force_generic_plan
as $$
begin
  perform 1 from invoices i where i.firm_id = p_firm and i.invoice_number = any (p_numbers) order by i.invoice_number for update;
  return query
    select i.invoice_number, i.client_number, i.matter_number, i.invoice_date, i.balance_cents, i.status, coalesce(a.applied_cents, 0)::int8
    from invoices i
    left join invoice_applied(p_firm, p_numbers, p_exclude) a on a.invoice = i.invoice_number
    where i.firm_id = p_firm and i.invoice_number = any (p_numbers)
    order by i.invoice_number;
end $$;
