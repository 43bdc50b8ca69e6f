-- SPEC §3.7: the two records of a correction (its reversal and its replacement) are
-- posted together, in one batch, or not at all. The use cases keep the pair together on
-- every path; this holds the rule in the database too, so no path or race can split it.
--
-- A half's first delivery attempt (batch line attempt 0) is its first batch: whenever a
-- half is queued or posted, both halves must have a first batch, and the same one. A half
-- the MMS refused goes out again alone (a later attempt): its partner already reached the
-- MMS with it the first time. Checked at commit, when Post has written both the records'
-- statuses and the batch's lines, and read then with what other transactions committed.
create function paybridge_correction_pair_check()
returns trigger
language plpgsql
as $$
declare
  halves int;
  first_batches int;
  without_batch int;
begin
  select count(*),
         count(distinct l.batch_id),
         count(*) filter (where l.batch_id is null)
    into halves, first_batches, without_batch
  from posting_records r
  left join lateral (
    select min(bl.batch_id::text) as batch_id from batch_lines bl
    where bl.firm_id = r.firm_id and bl.record_id = r.id and bl.attempt = 0
  ) l on true
  where r.firm_id = new.firm_id and r.correction_id = new.correction_id;
  if without_batch > 0 or first_batches <> 1 or halves <> 2 then
    raise exception 'correction % was split: its reversal and its replacement are posted together, in one batch',
      new.correction_id
      using errcode = '23514', constraint = 'posting_records_correction_pair';
  end if;
  return null;
end $$;

create constraint trigger posting_records_correction_pair
  after insert or update of status, batch_id on posting_records
  deferrable initially deferred
  for each row
  when (new.correction_id is not null and new.status in ('queued', 'posted'))
  execute function paybridge_correction_pair_check();
