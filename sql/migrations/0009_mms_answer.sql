-- paybridge schema, version 9: the MMS's answer comes back (SPEC §5.1). Delivered is not
-- applied: each posted record carries what the MMS did with it, and a record the MMS
-- refused goes back to incomplete and may go out again in a later batch.

-- awaiting: delivered, the MMS has not answered; applied; rejected (the record is then
-- incomplete with reason rejected_by_mms until an accountant fixes it).
alter table posting_records add column mms_status text check (mms_status in ('awaiting', 'applied', 'rejected'));
alter table posting_records add column mms_message text check (length(mms_message) <= 2000);
alter table posting_records add column mms_answered_at timestamptz;
-- Records posted before this migration were taken as applied when delivered.
update posting_records r set mms_status = 'applied', mms_answered_at = b.delivered_at
from batches b
where b.firm_id = r.firm_id and b.id = r.batch_id and r.status = 'posted';

-- Whether the agent that delivered the batch reports the MMS's answer (the procedure sink,
-- or a drop folder whose import moves files to a processed or rejected folder). Without
-- one, the delivery is taken as the MMS having the lines.
alter table batches add column answer_expected boolean not null default false;
-- How many of the batch's lines the MMS applied and refused, kept as its answers come.
alter table batches add column applied_lines integer not null default 0 check (applied_lines >= 0);
alter table batches add column rejected_lines integer not null default 0 check (rejected_lines >= 0);
update batches set applied_lines = line_count where status = 'delivered';

-- Every refusal, for good: which batch's delivery of which record the MMS refused, and why.
create table mms_rejections (
  firm_id uuid not null,
  record_id uuid not null,
  batch_id uuid not null,
  at timestamptz not null default now(),
  message text not null check (length(message) <= 2000),
  primary key (firm_id, record_id, batch_id),
  foreign key (firm_id, record_id) references posting_records (firm_id, id),
  foreign key (firm_id, batch_id) references batches (firm_id, id)
);
create trigger mms_rejections_append_only before update or delete on mms_rejections
  for each row execute function paybridge_append_only();

-- A record refused by the MMS may go out again in a new batch (the old batch's file never
-- changes), so a record's lines may be in several batches: one per attempt, and a record
-- has a new attempt only when the MMS refused its last one. The key keeps that, for
-- nothing: a record is applied by the MMS at most once, whichever use case tries otherwise.
alter table posting_records add column mms_refusals integer not null default 0 check (mms_refusals >= 0);
alter table batch_lines add column attempt integer not null default 0 check (attempt >= 0);
alter table batch_lines drop constraint batch_lines_pkey;
alter table batch_lines add constraint batch_lines_pkey primary key (firm_id, record_id, line, attempt);
