-- paybridge schema, version 2: posting a batch and acknowledging it touch fewer indexes.
--
-- Every update that changes a posting record's status writes a new entry in every index
-- of the table (the status is indexed, so it is never a HOT update). posting_records had a
-- primary key on (id) and a unique (firm_id, id) that the foreign keys use; every query
-- names the firm, so (firm_id, id) alone is the primary key now, and the foreign keys that
-- pointed at the unique constraint point at it. All foreign keys stay: the bench measured
-- replacing them with statement-level trigger checks, and the few hundred milliseconds it
-- saved on 100,000 records are not worth giving up the database's own guarantee.

alter table allocations drop constraint allocations_firm_id_record_id_fkey;
alter table batch_lines drop constraint batch_lines_firm_id_record_id_fkey;
alter table posting_records drop constraint posting_records_firm_id_reversal_of_fkey;
alter table posting_records drop constraint posting_records_firm_id_id_key;
alter table posting_records drop constraint posting_records_pkey;
alter table posting_records add constraint posting_records_pkey primary key (firm_id, id);
alter table posting_records add constraint posting_records_firm_id_reversal_of_fkey
  foreign key (firm_id, reversal_of) references posting_records (firm_id, id);
alter table allocations add constraint allocations_firm_id_record_id_fkey
  foreign key (firm_id, record_id) references posting_records (firm_id, id) on delete cascade;
alter table batch_lines add constraint batch_lines_firm_id_record_id_fkey
  foreign key (firm_id, record_id) references posting_records (firm_id, id);
