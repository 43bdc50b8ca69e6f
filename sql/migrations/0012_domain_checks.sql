-- Columns that only ever hold one of the domain's values now say so: the schema types
-- are generated from the SQL (src/db/codegen), and a column without its CHECK is typed
-- as any text. A record copies its payment's origin and method; the tallies copy a
-- record's status, account and origin (migration 0004's triggers). Every row already
-- there came from those checked columns, so the constraints are not validated against
-- them (no scan of the tables); each row written from now on is checked.
alter table posting_records
  add constraint posting_records_origin_check
    check (origin in ('connect', 'payment_page', 'enter_payment', 'payment_schedule', 'quick_link')) not valid,
  add constraint posting_records_method_check check (method in ('card', 'echeck')) not valid;
alter table posting_record_tallies
  add constraint posting_record_tallies_status_check
    check (status in ('pending', 'incomplete', 'queued', 'posted', 'removed')) not valid,
  add constraint posting_record_tallies_account_check check (account in ('operating', 'trust')) not valid,
  add constraint posting_record_tallies_origin_check
    check (origin in ('connect', 'payment_page', 'enter_payment', 'payment_schedule', 'quick_link')) not valid;
-- A record's reasons are the domain's (src/domain/types.ts REASONS): a new reason needs a
-- migration that widens this list.
alter table posting_records
  add constraint posting_records_reasons_check
    check (reasons <@ array['no_invoice_number', 'invalid_invoice_number', 'multiple_invoice_numbers', 'invoice_closed', 'exceeds_balance',
      'client_mismatch', 'no_matter', 'unknown_matter', 'rejected_by_mms', 'payment_reversed']) not valid;
