-- paybridge schema, version 2: posting a batch and acknowledging it touch fewer indexes
-- and check their references once per statement instead of once per row.
--
-- Post All of 100,000 records updates 100,000 posting records, inserts 100,000 batch lines
-- and 100,000 audit events. A foreign key checks (and locks) its referenced row once per
-- row written: 400,000 lookups through SPI for one Post All, most of them finding the same
-- batch or firm row again. The checks below do the same work as one set-based query at the
-- end of each statement. What they stand in for on the referenced side is kept by triggers:
-- batches are never deleted and their keys never change (0001, and the id below), a record
-- in a batch is never deleted, and a firm with audit events is never deleted.
--
-- posting_records had a primary key on (id) and a unique (firm_id, id) that the foreign
-- keys use; every query names the firm, so (firm_id, id) alone is the primary key now. Its
-- batch index goes too: a batch's records are found through batch_lines. Every update
-- that changes status writes a new entry in every index, so this is two fewer per record.

alter table allocations drop constraint allocations_firm_id_record_id_fkey;
alter table batch_lines drop constraint batch_lines_firm_id_record_id_fkey;
alter table batch_lines drop constraint batch_lines_firm_id_batch_id_fkey;
alter table posting_records drop constraint posting_records_firm_id_reversal_of_fkey;
alter table posting_records drop constraint posting_records_firm_id_batch_id_fkey;
alter table posting_records drop constraint posting_records_firm_id_id_key;
alter table posting_records drop constraint posting_records_pkey;
alter table posting_records add constraint posting_records_pkey primary key (firm_id, id);
alter table posting_records add constraint posting_records_firm_id_reversal_of_fkey
  foreign key (firm_id, reversal_of) references posting_records (firm_id, id);
alter table allocations add constraint allocations_firm_id_record_id_fkey
  foreign key (firm_id, record_id) references posting_records (firm_id, id) on delete cascade;
drop index posting_records_batch_idx;
alter table audit_events drop constraint audit_events_firm_id_fkey;

-- (firm_id, batch_id) of new or changed posting records and of new batch lines names a batch of that firm.
create function paybridge_check_batch_refs() returns trigger language plpgsql as $$
declare
  bad record;
begin
  select n.firm_id, n.batch_id into bad
  from (select distinct firm_id, batch_id from new_rows where batch_id is not null) n
  where not exists (select 1 from batches b where b.firm_id = n.firm_id and b.id = n.batch_id)
  limit 1;
  if found then
    raise foreign_key_violation using message = format(
      'insert or update on table "%s" violates foreign key: batch %s of firm %s does not exist', tg_table_name, bad.batch_id, bad.firm_id);
  end if;
  return null;
end $$;
create trigger posting_records_batch_ref_insert after insert on posting_records
  referencing new table as new_rows for each statement execute function paybridge_check_batch_refs();
create trigger posting_records_batch_ref_update after update on posting_records
  referencing new table as new_rows for each statement execute function paybridge_check_batch_refs();
create trigger batch_lines_batch_ref after insert on batch_lines
  referencing new table as new_rows for each statement execute function paybridge_check_batch_refs();

-- (firm_id, record_id) of new batch lines names a posting record of that firm.
create function paybridge_check_batch_line_records() returns trigger language plpgsql as $$
declare
  bad record;
begin
  select n.firm_id, n.record_id into bad from new_rows n
  where not exists (select 1 from posting_records r where r.firm_id = n.firm_id and r.id = n.record_id)
  limit 1;
  if found then
    raise foreign_key_violation using message = format(
      'insert on table "batch_lines" violates foreign key: posting record %s of firm %s does not exist', bad.record_id, bad.firm_id);
  end if;
  return null;
end $$;
create trigger batch_lines_record_ref after insert on batch_lines
  referencing new table as new_rows for each statement execute function paybridge_check_batch_line_records();

-- firm_id of new audit events names a firm.
create function paybridge_check_audit_firms() returns trigger language plpgsql as $$
declare
  bad uuid;
begin
  select n.firm_id into bad from (select distinct firm_id from new_rows) n
  where not exists (select 1 from firms f where f.id = n.firm_id)
  limit 1;
  if found then
    raise foreign_key_violation using message = format('insert on table "audit_events" violates foreign key: firm %s does not exist', bad);
  end if;
  return null;
end $$;
create trigger audit_events_firm_ref after insert on audit_events
  referencing new table as new_rows for each statement execute function paybridge_check_audit_firms();

-- The referenced side: what the dropped foreign keys refused, these refuse.
create function paybridge_keep_referenced() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and new.id = old.id and (tg_table_name = 'firms' or new.firm_id = old.firm_id) then
    return new;
  end if;
  if tg_table_name = 'posting_records' then
    if exists (select 1 from batch_lines l where l.firm_id = old.firm_id and l.record_id = old.id) then
      raise foreign_key_violation using message = format('posting record %s is in a batch: it cannot be deleted or re-keyed', old.id);
    end if;
  elsif tg_table_name = 'firms' then
    if exists (select 1 from audit_events e where e.firm_id = old.id) then
      raise foreign_key_violation using message = format('firm %s has audit events: it cannot be deleted or re-keyed', old.id);
    end if;
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger posting_records_keep_referenced before delete or update of firm_id, id on posting_records
  for each row execute function paybridge_keep_referenced();
create trigger firms_keep_referenced before delete or update of id on firms
  for each row execute function paybridge_keep_referenced();

-- A batch's id joins the fields that never change (its records and lines point at it).
create or replace function paybridge_batch_immutable() returns trigger language plpgsql as $$
begin
  if new.id <> old.id or new.firm_id <> old.firm_id or new.seq <> old.seq or new.file_name <> old.file_name
     or new.content <> old.content or new.sha256 <> old.sha256 or new.line_count <> old.line_count
     or new.total_cents <> old.total_cents or new.record_count <> old.record_count
     or new.created_at <> old.created_at or new.created_by <> old.created_by then
    raise exception 'batch % is immutable: only its delivery may be recorded', old.id;
  end if;
  return new;
end $$;
