-- Search by amount, last 4 and client/matter through the trigram index (issue 16). The
-- search box's meanings besides words ("1,250.00", "$1,250", "1250", "1002 / 001") were
-- found by reading the firm's records, payments and lines (about 125 ms and 400 ms on a
-- big firm); now each is a key in the indexed search text, as src/domain/paging.ts writes
-- them: capitals, with digits as the capitals A-J, so the lower-cased words of the search
-- box never match a key. The record's writers add its client/matter keys (searchText);
-- these triggers add the amount and the payment's last 4, which never change.

create function paybridge_search_keys(amount_cents bigint, last4 text) returns text
  language sql immutable as $$
  select ' #A' || translate(abs(amount_cents)::text, '0123456789', 'ABCDEFGHIJ') || '#'
    || coalesce(' #L' || translate(last4, '0123456789', 'ABCDEFGHIJ') || '#', '')
$$;

create or replace function posting_record_search_insert() returns trigger language plpgsql as $$
begin
  insert into posting_record_search (firm_id, record_id, search_text)
    select n.firm_id, n.id, n.search_text || paybridge_search_keys(n.amount_cents, p.last4)
      from new_rows n join payments p on p.firm_id = n.firm_id and p.id = n.payment_id;
  return null;
end $$;

create or replace function posting_record_search_update() returns trigger language plpgsql as $$
begin
  update posting_record_search
    set search_text = new.search_text || paybridge_search_keys(new.amount_cents,
      (select p.last4 from payments p where p.firm_id = new.firm_id and p.id = new.payment_id))
    where firm_id = new.firm_id and record_id = new.id;
  return null;
end $$;

-- The records there are: their client/matter keys, from their payment and their lines…
update posting_records r set search_text = r.search_text || k.keys
  from (
    select x.firm_id, x.id, string_agg(distinct ' #M' || upper(x.client || '/' || x.matter) || '#', '') as keys
      from (
        select r2.firm_id, r2.id, lower(p.client_number) as client, lower(p.matter_number) as matter
          from posting_records r2 join payments p on p.firm_id = r2.firm_id and p.id = r2.payment_id
        union
        select a.firm_id, a.record_id, lower(a.client_number), lower(a.matter_number) from allocations a
      ) x
      where x.client is not null and x.matter is not null and x.client <> '' and x.matter <> ''
      group by x.firm_id, x.id
  ) k
  where k.firm_id = r.firm_id and k.id = r.id;

-- …and every record's indexed text again, with its amount and last 4.
update posting_record_search s
  set search_text = r.search_text || paybridge_search_keys(r.amount_cents, p.last4)
  from posting_records r join payments p on p.firm_id = r.firm_id and p.id = r.payment_id
  where r.firm_id = s.firm_id and r.id = s.record_id;
