-- paybridge schema, version 5: acknowledging a batch no longer reads its file or writes an
-- audit row per record.
--
-- The immutability trigger fired on every update of a batch, and compared the file
-- (`content`, 15 MB for 100,000 lines) of the old and new row, so marking a batch
-- delivered read its file twice. It now fires on an update that names any column a batch
-- may never change, and then compares them all (file_format and id included, which it
-- did not check before). An update that names only status and delivered_at cannot change
-- anything else, so it no longer fires for the acknowledgement.
create or replace function paybridge_batch_immutable() returns trigger language plpgsql as $$
begin
  if new.id <> old.id or new.firm_id <> old.firm_id or new.seq <> old.seq or new.file_name <> old.file_name
     or new.file_format <> old.file_format or new.content <> old.content or new.sha256 <> old.sha256
     or new.line_count <> old.line_count or new.total_cents <> old.total_cents or new.record_count <> old.record_count
     or new.created_at <> old.created_at or new.created_by <> old.created_by then
    raise exception 'batch % is immutable: only its delivery may be recorded', old.id;
  end if;
  return new;
end $$;
drop trigger batches_immutable on batches;
create trigger batches_immutable
  before update of id, firm_id, seq, file_name, file_format, content, sha256, line_count, total_cents, record_count, created_at, created_by
  on batches for each row execute function paybridge_batch_immutable();

-- The acknowledgement writes one audit event for the batch's records (record_id null,
-- batch_id set, queued -> posted) instead of one per record; a record's history finds it
-- through the record's batch, by this index of the few events that name a batch alone.
create index audit_events_batch_idx on audit_events (firm_id, batch_id, id) where record_id is null and batch_id is not null;
