-- paybridge schema, version 35: what other records take from an invoice is read from the
-- records left out, not from every line on the invoice (issue 18, the busy invoice).
--
-- invoice_applied (migration 0029) subtracts from the invoice's running figure the lines
-- of the records left out (`p_exclude`: the record being edited or reallocated; none at
-- intake). With the bench's statistics (about one line per invoice) its generic plan
-- started from the invoice's lines and kept those of `p_exclude`: on an invoice with
-- 1,000 open records, 1,093 line and record lookups to find none, and twice, as the
-- planner evaluated the figure once for the filter and once for the answer. Intake calls
-- it twice per payment (the facts, then take_payment's check of them), so one payment on
-- that invoice cost 23 ms against 11 ms on a quiet one. Now the figure starts from the
-- records left out, each read by its key, and is computed once (offset 0 keeps the
-- subquery from being pulled up). The answer is the same: test/db/intake-open-records.test.ts
-- counts the rows read, and the claims and reallocation tests hold the figures.
create or replace function invoice_applied(p_firm uuid, p_numbers text[], p_exclude uuid[])
returns table (invoice text, applied_cents int8)
language plpgsql stable
set plan_cache_mode = force_generic_plan
set enable_seqscan = off
set enable_hashjoin = off
set enable_mergejoin = off
as $$
begin
  return query
    select figure.invoice_number, figure.cents
    from (
      select i.invoice_number,
        (coalesce((select c.claimed_cents from invoice_claims c
                   where c.firm_id = p_firm and c.invoice_number = i.invoice_number), 0)
         - coalesce((select sum(excluded.cents)
                     from (select distinct x.id from unnest(p_exclude) as x(id)) as x
                     cross join lateral (
                       select sum(line_claim_cents(r.status, a.invoice_number, a.amount_cents, a.reflected_at)) as cents
                       from posting_records r
                       join allocations a on a.firm_id = r.firm_id and a.record_id = r.id
                       where r.firm_id = p_firm and r.id = x.id and a.invoice_number = i.invoice_number) as excluded), 0))::int8 as cents
      from unnest(p_numbers) as n(invoice)
      join invoices i on i.firm_id = p_firm and i.invoice_number = n.invoice
      offset 0
    ) as figure
    where figure.cents <> 0;
end $$;
