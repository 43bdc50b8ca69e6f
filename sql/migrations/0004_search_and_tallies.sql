-- Two things a firm with hundreds of thousands of records needs from Manage Postings:
-- a search box that does not read every record of the firm, and view counts that do not
-- count them. Both are kept by triggers on posting_records, so no writer can forget them,
-- and both stay out of the way of a status change (Post All, acknowledgement), which
-- touches neither the search text nor anything but the tallies' few rows.

-- pg_trgm and btree_gin ship with PostgreSQL (Debian's postgresql-15 package, PGlite's
-- contrib) and are trusted: the database's owner may create them.
create extension if not exists pg_trgm;
create extension if not exists btree_gin;

-- The search text of each record, beside it rather than in its row: a trigram index on
-- posting_records itself would be rewritten for each of the 100,000 rows Post All updates.
-- The firm leads the index, so a search reads only that firm's matches.
create table posting_record_search (
  firm_id uuid not null,
  record_id uuid not null,
  search_text text not null,
  primary key (firm_id, record_id),
  foreign key (firm_id, record_id) references posting_records (firm_id, id) on delete cascade
);
insert into posting_record_search (firm_id, record_id, search_text)
  select firm_id, id, search_text from posting_records;
create index posting_record_search_trgm_idx on posting_record_search using gin (firm_id, search_text gin_trgm_ops);

create function posting_record_search_insert() returns trigger language plpgsql as $$
begin
  insert into posting_record_search (firm_id, record_id, search_text)
    select firm_id, id, search_text from new_rows;
  return null;
end $$;
create trigger posting_record_search_insert after insert on posting_records
  referencing new table as new_rows for each statement execute function posting_record_search_insert();

-- Only a statement that sets search_text fires this (intake's re-classification, an edit,
-- the sync's re-classification); a status change does not name the column.
create function posting_record_search_update() returns trigger language plpgsql as $$
begin
  update posting_record_search set search_text = new.search_text
    where firm_id = new.firm_id and record_id = new.id;
  return null;
end $$;
create trigger posting_record_search_update after update of search_text on posting_records
  for each row when (old.search_text is distinct from new.search_text) execute function posting_record_search_update();

-- How many records, and how many cents, each firm has per status, account and origin: the
-- view counts read these few rows instead of counting the firm's records. Writers only
-- ever append signed changes (never update a row another transaction may be changing), so
-- fifty payments taken at once do not queue behind one counter row; reading sums the rows
-- and folds them together now and then (src/usecases/postings/tallies.ts).
create table posting_record_tallies (
  firm_id uuid not null references firms (id),
  status text not null,
  account text not null,
  origin text not null,
  records int8 not null,
  cents int8 not null
);
create index posting_record_tallies_firm_idx on posting_record_tallies (firm_id);
insert into posting_record_tallies (firm_id, status, account, origin, records, cents)
  select firm_id, status, account, origin, count(*), sum(amount_cents) from posting_records group by 1, 2, 3, 4;

create function posting_record_tallies_insert() returns trigger language plpgsql as $$
begin
  insert into posting_record_tallies (firm_id, status, account, origin, records, cents)
    select firm_id, status, account, origin, count(*), sum(amount_cents) from new_rows group by 1, 2, 3, 4;
  return null;
end $$;
create trigger posting_record_tallies_insert after insert on posting_records
  referencing new table as new_rows for each statement execute function posting_record_tallies_insert();

-- An update adds what its new rows count and takes away what its old rows counted; an
-- update that moves nothing between groups (a memo, a version) appends nothing.
create function posting_record_tallies_update() returns trigger language plpgsql as $$
begin
  insert into posting_record_tallies (firm_id, status, account, origin, records, cents)
    select firm_id, status, account, origin, sum(records), sum(cents)
    from (
      select firm_id, status, account, origin, -1::int8 as records, -amount_cents::int8 as cents from old_rows
      union all
      select firm_id, status, account, origin, 1::int8, amount_cents::int8 from new_rows
    ) changes
    group by 1, 2, 3, 4
    having sum(records) <> 0 or sum(cents) <> 0;
  return null;
end $$;
create trigger posting_record_tallies_update after update on posting_records
  referencing old table as old_rows new table as new_rows for each statement execute function posting_record_tallies_update();

create function posting_record_tallies_delete() returns trigger language plpgsql as $$
begin
  insert into posting_record_tallies (firm_id, status, account, origin, records, cents)
    select firm_id, status, account, origin, -count(*), -sum(amount_cents) from old_rows group by 1, 2, 3, 4;
  return null;
end $$;
create trigger posting_record_tallies_delete after delete on posting_records
  referencing old table as old_rows for each statement execute function posting_record_tallies_delete();
