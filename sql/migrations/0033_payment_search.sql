-- paybridge schema, version 33: the Payment Manager's search goes through a trigram index,
-- as Manage Postings' does (migrations 0004, 0030, 0031).
--
-- GET /payments?q= compared each of the firm's payments' payer, invoices, client, matter
-- and processor id with lower(...) like '%…%', and its amount and last 4 by equality: no
-- index answers that, so every search read all of the firm's payments. Each payment now
-- has a row in payment_search, hash-partitioned by firm (32 partitions, so a search's
-- `firm_id = $1` reads one partition's index), holding the same text a record's search
-- row holds: its words lower-cased, without the `#` that marks the keys (so "#" typed in
-- the search box finds nothing through them), then its amount, last 4 and client/matter
-- keys as src/domain/paging.ts writes them. The same function (src/db/search.ts) builds
-- the match for both lists.
--
-- The words of the records' search text lose their `#` too (searchText does so from now
-- on), keeping the client/matter keys that end them.

create function paybridge_payment_search_text(
  payer_name text, invoice_numbers text[], client_number text, matter_number text, processor_id text,
  amount_cents bigint, last4 text
) returns text language sql immutable as $$
  select replace(lower(concat_ws(' ', payer_name, array_to_string(invoice_numbers, ' '),
      nullif(client_number, ''), nullif(matter_number, ''), processor_id)), '#', '')
    || case when coalesce(client_number, '') <> '' and coalesce(matter_number, '') <> ''
         then ' #M' || upper(lower(client_number) || '/' || lower(matter_number)) || '#' else '' end
    || paybridge_search_keys(amount_cents, last4)
$$;

create table payment_search (
  firm_id uuid not null,
  payment_id uuid not null,
  search_text text not null,
  primary key (firm_id, payment_id),
  foreign key (firm_id, payment_id) references payments (firm_id, id) on delete cascade
) partition by hash (firm_id);

do $$
begin
  for i in 0..31 loop
    execute format(
      'create table payment_search_%s partition of payment_search for values with (modulus 32, remainder %s)',
      lpad(i::text, 2, '0'), i);
  end loop;
end $$;

-- Once per statement on insert, as the records' (a bulk COPY of payments is one statement).
create function payment_search_insert() returns trigger language plpgsql as $$
begin
  insert into payment_search (firm_id, payment_id, search_text)
    select n.firm_id, n.id, paybridge_payment_search_text(n.payer_name, n.invoice_numbers, n.client_number,
        n.matter_number, n.processor_id, n.amount_cents, n.last4)
      from new_rows n;
  return null;
end $$;

create trigger payment_search_insert after insert on payments
  referencing new table as new_rows for each statement execute function payment_search_insert();

-- A payment's status and refunds change often; its searched columns seldom: only then.
create function payment_search_update() returns trigger language plpgsql as $$
begin
  update payment_search
    set search_text = paybridge_payment_search_text(new.payer_name, new.invoice_numbers, new.client_number,
        new.matter_number, new.processor_id, new.amount_cents, new.last4)
    where firm_id = new.firm_id and payment_id = new.id;
  return null;
end $$;

create trigger payment_search_update
  after update of payer_name, invoice_numbers, client_number, matter_number, processor_id, amount_cents, last4
  on payments for each row
  when ((old.payer_name, old.invoice_numbers, old.client_number, old.matter_number, old.processor_id,
         old.amount_cents, old.last4)
        is distinct from (new.payer_name, new.invoice_numbers, new.client_number, new.matter_number,
         new.processor_id, new.amount_cents, new.last4))
  execute function payment_search_update();

-- The payments there are.
insert into payment_search (firm_id, payment_id, search_text)
  select firm_id, id, paybridge_payment_search_text(payer_name, invoice_numbers, client_number, matter_number,
      processor_id, amount_cents, last4)
    from payments;

create index payment_search_trgm_idx on payment_search using gin (firm_id, search_text gin_trgm_ops);

-- The records' words without `#`. The words are lower-case and the client/matter keys
-- that end the text are capitals (' #M…#'): a `#` is a key's when it opens one ('#M') or
-- closes one (at the end, or before the next ' #M'); every other is a word's and goes.
-- The search table's trigger (migration 0030) writes each changed record's row again.
update posting_records
  set search_text = regexp_replace(search_text, '#(?!M|$| #M)', '', 'g')
  where search_text ~ '#(?!M|$| #M)';

analyze payment_search;
