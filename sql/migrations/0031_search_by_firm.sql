-- paybridge schema, version 31: a firm's search reads that firm's index, not every firm's.
--
-- The trigram index of migration 0004 is a GIN over (firm_id, search_text). A GIN index
-- over two columns keeps each column's keys apart: the firm is one key (every row of
-- the firm) and each trigram is another (every row of EVERY firm holding it); it does not
-- lead the trigrams as a btree's first column would. A search for "parker holdings 42"
-- therefore walked, for each trigram, the rows of all firms holding it ("hol", "ing" and
-- "ngs" are in almost every payer) to intersect them with the one firm's: the cost grew
-- with the whole table, not with the firm (on the bench's 200,000 records, 42 ms and 377
-- index pages for 35 matches in the big firm, against 2.4 ms and 185 pages for an index of
-- that firm's rows alone), and it came and went with whatever else held the cache: the
-- outliers of issue 18 (p95 320 ms on the big firm at 1 M records).
--
-- The table is now hash-partitioned by firm: a search's `firm_id = $1` prunes to one
-- partition, whose index holds that firm and the few that share its partition, so what a
-- search reads no longer grows with the number of firms. Same columns, keys, index and
-- name; the triggers of migration 0004 write it by name, so they are unchanged.
create table posting_record_search_by_firm (
  firm_id uuid not null,
  record_id uuid not null,
  search_text text not null,
  primary key (firm_id, record_id),
  foreign key (firm_id, record_id) references posting_records (firm_id, id) on delete cascade
) partition by hash (firm_id);

do $$
begin
  for i in 0..31 loop
    execute format(
      'create table posting_record_search_%s partition of posting_record_search_by_firm for values with (modulus 32, remainder %s)',
      lpad(i::text, 2, '0'), i);
  end loop;
end $$;

insert into posting_record_search_by_firm (firm_id, record_id, search_text)
  select firm_id, record_id, search_text from posting_record_search;
drop table posting_record_search;
alter table posting_record_search_by_firm rename to posting_record_search;
alter index posting_record_search_by_firm_pkey rename to posting_record_search_pkey;
create index posting_record_search_trgm_idx on posting_record_search using gin (firm_id, search_text gin_trgm_ops);
analyze posting_record_search;
