-- Issue 17: keys lead with firm_id (see 0023). A set-password link (0022) gets primary
-- key (firm_id, id); its token's hash stays a global key, as it finds the firm of the
-- person who opens the link (test/db/distribution.test.ts lists it).
alter table password_links drop constraint password_links_firm_id_id_key;
alter table password_links drop constraint password_links_pkey;
alter table password_links add constraint password_links_pkey primary key (firm_id, id);
