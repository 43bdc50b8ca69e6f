-- paybridge schema, version 29: what records take from each invoice, kept as a running figure.
--
-- Every payment taken in is classified against its invoice's balance less what other
-- records already take from it (invoice_applied). That was a sum over every line on the
-- invoice, joined to its record: with about 1,050 open records on one invoice a payment
-- on it took 550 ms (the generic plan, made while the tables were small, walked the
-- firm's records for each line), and 20 at once 12 s, since they queue on the invoice.
-- Now triggers keep the sum per invoice as lines and statuses change, and intake reads
-- one row: the same whatever the number of records on the invoice.

-- What one line takes from its invoice: src/domain/claims.ts (takesFromInvoice) is the
-- rule; test/db/claims-rule.test.ts holds the two equal.
create function line_claim_cents(p_status text, p_invoice text, p_amount int8, p_reflected timestamptz)
returns int8
language sql immutable parallel safe
as $$
  select case when p_invoice is not null and p_amount > 0
    and (p_status in ('pending', 'queued') or (p_status = 'posted' and p_reflected is null))
    then p_amount else 0 end
$$;

-- Per invoice number, the sum of line_claim_cents over every line on it. A row for any
-- invoice number lines name, synced or not; a row whose sum went back to 0 stays.
create table invoice_claims (
  firm_id uuid not null,
  invoice_number text not null,
  claimed_cents int8 not null,
  primary key (firm_id, invoice_number)
);

insert into invoice_claims (firm_id, invoice_number, claimed_cents)
select a.firm_id, a.invoice_number, sum(line_claim_cents(r.status, a.invoice_number, a.amount_cents, a.reflected_at))
from allocations a
join posting_records r on r.firm_id = a.firm_id and r.id = a.record_id
where a.invoice_number is not null and a.amount_cents > 0
group by a.firm_id, a.invoice_number
having sum(line_claim_cents(r.status, a.invoice_number, a.amount_cents, a.reflected_at)) <> 0;

-- Each trigger below adds its changes to the figures the same way, rows in key order: every
-- writer locks them in one order (classifiers lock the invoices in that order too).

-- Lines written or removed count with their record's status at the time. Each line finds
-- its record by primary key, so the plan is the same for one line or a million.
create function allocations_claims_insert() returns trigger language plpgsql as $$
begin
  insert into invoice_claims (firm_id, invoice_number, claimed_cents)
  select c.firm_id, c.invoice_number, sum(c.cents)
  from (
    select a.firm_id, a.invoice_number,
      line_claim_cents((select r.status from posting_records r where r.firm_id = a.firm_id and r.id = a.record_id),
        a.invoice_number, a.amount_cents, a.reflected_at) as cents
    from new_rows a where a.invoice_number is not null and a.amount_cents > 0
  ) c
  group by c.firm_id, c.invoice_number having sum(c.cents) <> 0
  order by c.firm_id, c.invoice_number collate "C"
  on conflict (firm_id, invoice_number) do update set claimed_cents = invoice_claims.claimed_cents + excluded.claimed_cents;
  return null;
end $$;
create trigger allocations_claims_insert after insert on allocations
  referencing new table as new_rows for each statement execute function allocations_claims_insert();

-- A line of a record being deleted finds no record: the record's own trigger took its
-- lines out before it went.
create function allocations_claims_delete() returns trigger language plpgsql as $$
begin
  insert into invoice_claims (firm_id, invoice_number, claimed_cents)
  select c.firm_id, c.invoice_number, sum(c.cents)
  from (
    select a.firm_id, a.invoice_number,
      -line_claim_cents((select r.status from posting_records r where r.firm_id = a.firm_id and r.id = a.record_id),
        a.invoice_number, a.amount_cents, a.reflected_at) as cents
    from old_rows a where a.invoice_number is not null and a.amount_cents > 0
  ) c
  group by c.firm_id, c.invoice_number having sum(c.cents) <> 0
  order by c.firm_id, c.invoice_number collate "C"
  on conflict (firm_id, invoice_number) do update set claimed_cents = invoice_claims.claimed_cents + excluded.claimed_cents;
  return null;
end $$;
create trigger allocations_claims_delete after delete on allocations
  referencing old table as old_rows for each statement execute function allocations_claims_delete();

create function allocations_claims_update() returns trigger language plpgsql as $$
begin
  insert into invoice_claims (firm_id, invoice_number, claimed_cents)
  select c.firm_id, c.invoice_number, sum(c.cents)
  from (
    select a.firm_id, a.invoice_number,
      -line_claim_cents((select r.status from posting_records r where r.firm_id = a.firm_id and r.id = a.record_id),
        a.invoice_number, a.amount_cents, a.reflected_at) as cents
    from old_rows a where a.invoice_number is not null and a.amount_cents > 0
    union all
    select a.firm_id, a.invoice_number,
      line_claim_cents((select r.status from posting_records r where r.firm_id = a.firm_id and r.id = a.record_id),
        a.invoice_number, a.amount_cents, a.reflected_at)
    from new_rows a where a.invoice_number is not null and a.amount_cents > 0
  ) c
  group by c.firm_id, c.invoice_number having sum(c.cents) <> 0
  order by c.firm_id, c.invoice_number collate "C"
  on conflict (firm_id, invoice_number) do update set claimed_cents = invoice_claims.claimed_cents + excluded.claimed_cents;
  return null;
end $$;
create trigger allocations_claims_update after update on allocations
  referencing old table as old_rows new table as new_rows for each statement execute function allocations_claims_update();

-- A record whose status moves between what takes (pending, queued), what takes until
-- reflected (posted) and what takes nothing moves its lines' claims; Post All (pending to
-- queued) moves none. Planned on each run (execute), as the statement pairs the old and
-- new rows: one of them, or a hundred thousand.
create function posting_records_claims_update() returns trigger language plpgsql as $$
begin
  execute $q$
    insert into invoice_claims (firm_id, invoice_number, claimed_cents)
    select a.firm_id, a.invoice_number,
      sum(line_claim_cents(n.status, a.invoice_number, a.amount_cents, a.reflected_at)
        - line_claim_cents(o.status, a.invoice_number, a.amount_cents, a.reflected_at))
    from old_rows o
    join new_rows n on n.firm_id = o.firm_id and n.id = o.id
    join allocations a on a.firm_id = n.firm_id and a.record_id = n.id
    where o.status <> n.status
      and not (o.status in ('pending', 'queued') and n.status in ('pending', 'queued'))
      and a.invoice_number is not null and a.amount_cents > 0
    group by a.firm_id, a.invoice_number
    having sum(line_claim_cents(n.status, a.invoice_number, a.amount_cents, a.reflected_at)
      - line_claim_cents(o.status, a.invoice_number, a.amount_cents, a.reflected_at)) <> 0
    order by a.firm_id, a.invoice_number collate "C"
    on conflict (firm_id, invoice_number) do update set claimed_cents = invoice_claims.claimed_cents + excluded.claimed_cents
  $q$;
  return null;
end $$;
create trigger posting_records_claims_update after update on posting_records
  referencing old table as old_rows new table as new_rows for each statement execute function posting_records_claims_update();

create function posting_records_claims_delete() returns trigger language plpgsql as $$
begin
  insert into invoice_claims (firm_id, invoice_number, claimed_cents)
  select a.firm_id, a.invoice_number, -sum(line_claim_cents(old.status, a.invoice_number, a.amount_cents, a.reflected_at))
  from allocations a
  where a.firm_id = old.firm_id and a.record_id = old.id and a.invoice_number is not null and a.amount_cents > 0
  group by a.firm_id, a.invoice_number
  having sum(line_claim_cents(old.status, a.invoice_number, a.amount_cents, a.reflected_at)) <> 0
  order by a.firm_id, a.invoice_number collate "C"
  on conflict (firm_id, invoice_number) do update set claimed_cents = invoice_claims.claimed_cents + excluded.claimed_cents;
  return old;
end $$;
create trigger posting_records_claims_delete before delete on posting_records
  for each row execute function posting_records_claims_delete();

-- What other records take from each of some invoices (migration 0007), now the running
-- figure less the lines of the records left out: it reads one row per invoice, and the
-- lines of `p_exclude` alone, never every line on the invoice.
--
-- Its plan is made once per connection, maybe while the tables are nearly empty, and
-- kept: hash joins and scans of whole tables are ruled out, so it stays on the keys
-- whatever the statistics said then. The functions intake calls it through get the same.
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
    select i.invoice_number, applied.cents
    from unnest(p_numbers) as n(invoice)
    join invoices i on i.firm_id = p_firm and i.invoice_number = n.invoice
    cross join lateral (
      select (coalesce((select c.claimed_cents from invoice_claims c
                        where c.firm_id = p_firm and c.invoice_number = i.invoice_number), 0)
            - coalesce((select sum(line_claim_cents(r.status, a.invoice_number, a.amount_cents, a.reflected_at))
                        from posting_records r
                        join allocations a on a.firm_id = r.firm_id and a.record_id = r.id
                        where r.firm_id = p_firm and r.id = any (p_exclude) and a.invoice_number = i.invoice_number), 0))::int8 as cents
    ) applied
    where applied.cents <> 0;
end $$;

alter function invoice_facts(uuid, text[], uuid[]) set enable_seqscan = off;
alter function invoice_facts(uuid, text[], uuid[]) set enable_hashjoin = off;
alter function invoice_facts(uuid, text[], uuid[]) set enable_mergejoin = off;
alter function intake_facts(uuid, text[], text[], text[]) set enable_seqscan = off;
alter function intake_facts(uuid, text[], text[], text[]) set enable_hashjoin = off;
alter function intake_facts(uuid, text[], text[], text[]) set enable_mergejoin = off;
alter function lock_invoices(uuid, text[]) set enable_seqscan = off;
alter function lock_invoices(uuid, text[]) set enable_hashjoin = off;
alter function lock_invoices(uuid, text[]) set enable_mergejoin = off;

-- intake_facts lists the incomplete records on the invoices that more claims can still
-- change, through the index of every open record referring to them: pending ones too,
-- all read and passed over. This index holds those records alone.
create index posting_records_can_gain_refs_idx on posting_records using gin (firm_id, refers_to)
  where status = 'incomplete' and (not ('exceeds_balance' = any(reasons)) or (cardinality(invoice_numbers) > 1 and not reallocated));
