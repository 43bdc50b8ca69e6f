-- A record's search row ends with its amount's key (migration 0030), written again when
-- the record's words change. A partial refund before the record is queued lowers its
-- receipt (db/payment-records.ts lowerReceipt) and leaves its words alone, so the search
-- still found the record by the amount it had been taken in for, and not by the one it
-- shows: the row is now written again when the amount changes too, and rows left behind
-- are put right. (Found by the random action sequences, test/api/action-sequences.test.ts,
-- once partial refunds were among the actions.)

drop trigger posting_record_search_update on posting_records;
create trigger posting_record_search_update after update of search_text, amount_cents on posting_records
  for each row when (old.search_text is distinct from new.search_text or old.amount_cents is distinct from new.amount_cents)
  execute function posting_record_search_update();

update posting_record_search s
  set search_text = r.search_text || paybridge_search_keys(r.amount_cents, p.last4)
  from posting_records r
  join payments p on p.firm_id = r.firm_id and p.id = r.payment_id
  where s.firm_id = r.firm_id and s.record_id = r.id
    and s.search_text is distinct from r.search_text || paybridge_search_keys(r.amount_cents, p.last4);
