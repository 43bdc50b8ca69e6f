-- Issue 18: the Deposits list counts each payout's lines that need the accountant (SPEC
-- §5.3). The count was taken over payout_line_facts, which finds for every line its
-- payment and, through three index probes, its posting record: a page of 50 payouts of a
-- year read 19,171 of its 19,241 buffers there, p95 547 ms at bench scale 1. Each line
-- now keeps the record that carries it and whether it needs attention, and triggers keep
-- them as records come and change; the list counts the flagged lines of a payout in one
-- small index, and a payout's lines read their record by its key.
--
-- What decides a line, and what moves it:
-- * its record: the payment's latest reversal of the line's kind, else its latest
--   replacement, else its original (payout_line_record below, as the view chose it). It
--   depends on the payment's set of records alone (their kind, what they reverse or
--   replace, when they were made), never on a status, so only a new record of the
--   payment (or a record deleted) moves it; inserting a payment moves nothing, as a line
--   with no payment and a line whose payment has no record are both `no_record`.
-- * whether it needs attention: payout_line_needs_attention below, of the line's kind
--   and its record's status and MMS status (domain/deposits.ts needsAttention of
--   mmsStateOf; test/db/payout-line-states.test.ts holds them equal). Only a change of
--   status or MMS status between open (not removed, not applied) and closed moves it.
--
-- The triggers work key by key (a payment, a record, a line), each statement a probe of
-- an index whatever the size of the insert (one payment, or the bench's year of payouts)
-- and whatever the planner believes of a table never analyzed: a join with the inserted
-- rows planned the other way round read them once per row of the table (PGlite: 115 s
-- for 10,000 records).
--
-- Concurrency, as every writer of a payment's records already works: each takes the
-- payment's row first (refund, chargeback, correction), or makes the payment in the same
-- transaction (intake). The three triggers:
-- * a record's status changes: the lines that carry that record (`record_id = id`) get
--   the record's own new state. Rechecked on a line row another transaction changed
--   meanwhile (READ COMMITTED), `record_id = id` leaves out a line a new record took.
-- * records are inserted: their payments' rows are taken (a no-op for the writers
--   above), then a fresh look finds the lines whose record is now one of the new rows,
--   and gives them the new row's state; no other line's state changes.
-- * lines are inserted (a payout arrives): the firm's payout lock is taken (exclusive),
--   which a payment's first record takes shared, so an intake under way finishes first;
--   then the lines' payments (key share) and their records (share) are held, so no
--   record is added or changes status until the payout commits, and the state is read.
--   Payouts and intake of the same firm wait on each other only for that moment.

alter table payout_lines
  add column record_id uuid,
  add column needs_attention boolean not null default true;

-- The rule, in SQL: a line needs the accountant when money moved that the MMS does not hold.
create function payout_line_needs_attention(p_kind text, p_has_record boolean, p_status text, p_mms_status text)
returns boolean
language sql immutable parallel safe
as $$
  select p_kind <> 'fee' and (not p_has_record or (p_status <> 'removed' and p_mms_status is distinct from 'applied'))
$$;

-- The record that carries a line, from the payment's records as they are.
create function payout_line_record(p_firm uuid, p_processor_id text, p_kind text)
returns uuid
language sql stable
as $$
  select x.id
  from payments p
  cross join lateral (
    select pr.id, 1 as preference, pr.created_at
    from posting_records pr
    where pr.firm_id = p.firm_id and pr.payment_id = p.id
      and (pr.reversal_of is not null or pr.replaces is not null) and pr.reversal_kind = p_kind
    union all
    select pr.id, 2, pr.created_at
    from posting_records pr
    where pr.firm_id = p.firm_id and pr.payment_id = p.id
      and (pr.reversal_of is not null or pr.replaces is not null) and pr.reversal_of is null
    union all
    select pr.id, 3, pr.created_at
    from posting_records pr
    where pr.firm_id = p.firm_id and pr.payment_id = p.id and pr.reversal_of is null and pr.replaces is null
  ) x
  where p.firm_id = p_firm and p.processor_id = p_processor_id
  order by x.preference, x.created_at desc, x.id desc
  limit 1
$$;

update payout_lines l set record_id = c.record_id,
  needs_attention = payout_line_needs_attention(l.kind, r.id is not null, r.status, r.mms_status)
from (select firm_id, payout_id, line, payout_line_record(firm_id, processor_id, kind) as record_id from payout_lines) c
left join posting_records r on r.firm_id = c.firm_id and r.id = c.record_id
where l.firm_id = c.firm_id and l.payout_id = c.payout_id and l.line = c.line;

-- The flagged lines of each payout: the list's count reads these entries alone.
create index payout_lines_attention_idx on payout_lines (firm_id, payout_id) where needs_attention;
-- The lines a record carries, for its status changes.
create index payout_lines_record_idx on payout_lines (firm_id, record_id) where record_id is not null;
analyze payout_lines;

-- A record whose state moves between open and closed moves the lines it carries. Post
-- All (pending to queued) and a delivery (queued to posted) move none, and fire nothing.
create function posting_records_payout_lines_update() returns trigger language plpgsql as $$
begin
  update payout_lines l
  set needs_attention = payout_line_needs_attention(l.kind, true, new.status, new.mms_status)
  where l.firm_id = new.firm_id and l.record_id = new.id
    and l.needs_attention <> payout_line_needs_attention(l.kind, true, new.status, new.mms_status);
  return null;
end $$;
create trigger posting_records_payout_lines_update after update of status, mms_status on posting_records
  for each row
  when ((old.status <> 'removed' and old.mms_status is distinct from 'applied')
    is distinct from (new.status <> 'removed' and new.mms_status is distinct from 'applied'))
  execute function posting_records_payout_lines_update();

create function posting_records_payout_lines_insert() returns trigger language plpgsql as $$
declare
  k record;
  v_processor_id text;
begin
  -- A payment's original record, its first (intake makes it with the payment; reversals and
  -- replacements come after it), waits for a payout being taken in (below).
  if exists (select 1 from new_rows n where n.reversal_of is null and n.replaces is null) then
    perform pg_advisory_xact_lock_shared(hashtextextended('paybridge payouts ' || f.firm_id::text, 0))
    from (select distinct firm_id from new_rows order by firm_id) f;
  end if;
  -- Payment by payment, in key order: those with lines paid out are held, then a fresh look
  -- gives each line whose record is now a new one that record's state.
  for k in select distinct n.firm_id, n.payment_id from new_rows n order by n.firm_id, n.payment_id loop
    select p.processor_id into v_processor_id from payments p where p.firm_id = k.firm_id and p.id = k.payment_id;
    continue when v_processor_id is null or not exists (
      select 1 from payout_lines l where l.firm_id = k.firm_id and l.processor_id = v_processor_id);
    perform 1 from payments p where p.firm_id = k.firm_id and p.id = k.payment_id for update;
    update payout_lines l
    set record_id = c.record_id,
      needs_attention = payout_line_needs_attention(l.kind, true, r.status, r.mms_status)
    from (
      select l2.payout_id, l2.line, payout_line_record(l2.firm_id, l2.processor_id, l2.kind) as record_id
      from payout_lines l2
      where l2.firm_id = k.firm_id and l2.processor_id = v_processor_id
    ) c
    join posting_records r on r.firm_id = k.firm_id and r.id = c.record_id
    where l.firm_id = k.firm_id and l.payout_id = c.payout_id and l.line = c.line
      and l.record_id is distinct from c.record_id;
  end loop;
  return null;
end $$;
create trigger posting_records_payout_lines_insert after insert on posting_records
  referencing new table as new_rows for each statement execute function posting_records_payout_lines_insert();

-- A record deleted (a firm's data taken out): the lines it carried find theirs again.
create function posting_records_payout_lines_delete() returns trigger language plpgsql as $$
declare
  k record;
begin
  for k in select o.firm_id, o.id from old_rows o order by o.firm_id, o.id loop
    update payout_lines l
    set record_id = c.record_id,
      needs_attention = payout_line_needs_attention(l.kind, r.id is not null, r.status, r.mms_status)
    from (
      select l2.payout_id, l2.line, payout_line_record(l2.firm_id, l2.processor_id, l2.kind) as record_id
      from payout_lines l2
      where l2.firm_id = k.firm_id and l2.record_id = k.id
    ) c
    left join posting_records r on r.firm_id = k.firm_id and r.id = c.record_id
    where l.firm_id = k.firm_id and l.payout_id = c.payout_id and l.line = c.line;
  end loop;
  return null;
end $$;
create trigger posting_records_payout_lines_delete after delete on posting_records
  referencing old table as old_rows for each statement execute function posting_records_payout_lines_delete();

-- A payout's lines as they arrive: their records and states, read once nothing can move them.
create function payout_lines_states_insert() returns trigger language plpgsql as $$
declare
  k record;
begin
  perform pg_advisory_xact_lock(hashtextextended('paybridge payouts ' || f.firm_id::text, 0))
  from (select distinct firm_id from new_lines order by firm_id) f;
  for k in select distinct n.firm_id, n.processor_id from new_lines n order by n.firm_id, n.processor_id loop
    perform 1 from payments p where p.firm_id = k.firm_id and p.processor_id = k.processor_id for key share;
  end loop;
  for k in
    select distinct c.firm_id, c.record_id
    from (select n.firm_id, payout_line_record(n.firm_id, n.processor_id, n.kind) as record_id from new_lines n) c
    where c.record_id is not null
    order by c.firm_id, c.record_id
  loop
    perform 1 from posting_records r where r.firm_id = k.firm_id and r.id = k.record_id for share;
  end loop;
  for k in select n.firm_id, n.payout_id, n.line, n.kind, n.processor_id from new_lines n loop
    update payout_lines l
    set record_id = r.id,
      needs_attention = payout_line_needs_attention(l.kind, r.id is not null, r.status, r.mms_status)
    from (select payout_line_record(k.firm_id, k.processor_id, k.kind) as record_id) c
    left join posting_records r on r.firm_id = k.firm_id and r.id = c.record_id
    where l.firm_id = k.firm_id and l.payout_id = k.payout_id and l.line = k.line;
  end loop;
  return null;
end $$;
create trigger payout_lines_states_insert after insert on payout_lines
  referencing new table as new_lines for each statement execute function payout_lines_states_insert();

-- Each payout line with the payment it is about and the posting record that carries it
-- to the MMS (kept on the line, as above).
create or replace view payout_line_facts as
select l.firm_id, l.payout_id, l.line, l.kind, l.processor_id, l.refund_id, l.amount_cents,
  p.id as payment_id, p.payer_name, p.processed_at, p.method, p.amount_cents as payment_cents,
  p.status as payment_status, p.deposit_account_id as payment_deposit_account_id,
  r.id as record_id, r.status as record_status, r.mms_status, r.batch_id, b.seq as batch_seq
from payout_lines l
left join payments p on p.firm_id = l.firm_id and p.processor_id = l.processor_id
left join posting_records r on r.firm_id = l.firm_id and r.id = l.record_id
left join batches b on b.firm_id = l.firm_id and b.id = r.batch_id;
