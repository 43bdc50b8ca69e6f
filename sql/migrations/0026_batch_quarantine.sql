-- paybridge schema, version 26: a quarantined batch is known to the server (issue 15).
-- The agent halts delivery when it cannot place a batch safely (a file of the batch's name
-- with other bytes in the drop folder) and tells the server, which shows it on the Batches
-- screen and tells the staff who opted in (a posting failure). The first report is kept: a
-- repeat changes nothing, and so does the batch's later delivery once an operator resolved
-- it, so the history still says it was held.
alter table batches
  add column quarantined_at timestamptz,
  add column quarantine_reason text check (length(quarantine_reason) between 1 and 2000),
  add constraint batches_quarantine_whole check ((quarantined_at is null) = (quarantine_reason is null));
