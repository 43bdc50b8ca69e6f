-- Issue 16: Manage Postings and the Payment Manager sort by date, amount, payer or status,
-- each then by date and id, and page by keyset (src/db/paging.ts, sortColumns). An index
-- per order reads a page in order, in either direction, without sorting the firm's rows.
-- The payer is ordered lower-cased and byte by byte ("C"), alike on every engine.
-- Ordering by status needs none on posting_records: posting_records_view_idx is
-- (firm_id, status, processed_at desc, id desc) already.

-- A view of one status (Pending, Incomplete, Posted, ...), and All.
create index posting_records_view_amount_idx on posting_records (firm_id, status, amount_cents, processed_at, id);
create index posting_records_all_amount_idx on posting_records (firm_id, amount_cents, processed_at, id);
create index posting_records_view_payer_idx on posting_records
  (firm_id, status, (lower(payer_name) collate "C"), processed_at, id);
create index posting_records_all_payer_idx on posting_records (firm_id, (lower(payer_name) collate "C"), processed_at, id);

create index payments_amount_idx on payments (firm_id, amount_cents, processed_at, id);
create index payments_payer_idx on payments (firm_id, (lower(payer_name) collate "C"), processed_at, id);
create index payments_status_idx on payments (firm_id, status, processed_at, id);

-- Search finds a card's or bank account's last 4 digits (issue 16).
create index payments_last4_idx on payments (firm_id, last4) where last4 is not null;
