-- paybridge schema, version 34: the All view searched reads its page in date order from
-- the search table, and only that page's records (issue 18).
--
-- A search that many records match ("0042" is in about 2% of the big firm's invoice and
-- client numbers: some 4,900 of its 250,000 records) found every match through the
-- trigram index, then fetched each match's record to learn its date, sorted them all and
-- kept 51, on every page. The index was not the cost (it rechecked 6 rows too many on the
-- bench's data); the thousands of record lookups were: `all q=last 4` was the bench's
-- slowest list. Each search row now holds its record's processed_at, so the matches are
-- sorted, cut at the cursor and limited on the search table alone, and only the page's
-- records are read (src/db/postings.ts, searchedAllRecords). The date index lets a word
-- that most records hold ("holdings") be read in date order until the page is full, as
-- the records' own date index did. A record's processed_at never changes; the trigger
-- below keeps the copy right if it ever did.

alter table posting_record_search add column processed_at timestamptz;

update posting_record_search s set processed_at = r.processed_at
  from posting_records r where r.firm_id = s.firm_id and r.id = s.record_id;

alter table posting_record_search alter column processed_at set not null;

create or replace function posting_record_search_insert() returns trigger language plpgsql as $$
begin
  insert into posting_record_search (firm_id, record_id, search_text, processed_at)
    select n.firm_id, n.id, n.search_text || paybridge_search_keys(n.amount_cents, p.last4), n.processed_at
      from new_rows n join payments p on p.firm_id = n.firm_id and p.id = n.payment_id;
  return null;
end $$;

create function posting_record_search_processed_at() returns trigger language plpgsql as $$
begin
  update posting_record_search set processed_at = new.processed_at
    where firm_id = new.firm_id and record_id = new.id;
  return null;
end $$;

create trigger posting_record_search_processed_at after update of processed_at on posting_records
  for each row when (old.processed_at is distinct from new.processed_at)
  execute function posting_record_search_processed_at();

create index posting_record_search_date_idx on posting_record_search (firm_id, processed_at, record_id);

analyze posting_record_search;
