-- paybridge schema, version 8: the firm's time zone (SPEC §2). Every calendar date
-- paybridge derives from an instant (a posting date, "today", a date filter's days) is
-- the date on the firm's wall calendar. The application checks the name against the IANA
-- database Node's Intl knows; the CHECK keeps out what cannot be an IANA name at all.
alter table firms add column time_zone text not null default 'America/New_York'
  check (length(time_zone) between 1 and 64 and time_zone ~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$');

-- A batch keeps what its file's posting_date column was rendered with, so a record shows
-- the date its file gave it however the firm's settings change later: the zone its
-- payments' dates were read in, and the one date every line carries when the firm dated
-- lines by the day of posting (null: each line carries its payment's date).
alter table batches add column time_zone text, add column posting_date date;
-- Batches made before this migration read dates in UTC. Whether "use posted date" was on
-- when each was made is not recorded; the firm's setting now is the best guess.
update batches b set time_zone = 'UTC', posting_date = case when f.use_posted_date then (b.created_at at time zone 'UTC')::date end
  from firms f where f.id = b.firm_id;
alter table batches alter column time_zone set not null;

-- Like the rest of a batch (migration 0005), they never change once it is made.
create function paybridge_batch_dates_immutable() returns trigger language plpgsql as $$
begin
  if new.time_zone <> old.time_zone or new.posting_date is distinct from old.posting_date then
    raise exception 'batch % is immutable: only its delivery may be recorded', old.id;
  end if;
  return new;
end $$;
create trigger batches_dates_immutable before update of time_zone, posting_date on batches
  for each row execute function paybridge_batch_dates_immutable();
