-- Issue 17: a schema ready for distribution by firm_id (Citus). A distributed table's
-- primary key, unique constraints and foreign keys must lead with its distribution column,
-- so the tables keyed by a lone id now have primary key (firm_id, id). Each already had
-- unique (firm_id, id), which every foreign key into it uses: that constraint becomes the
-- primary key, and the foreign keys are made again on it, unchanged. (A handful of keys
-- find a firm before one is known — a session's or token's hash, a page's slug, a sign-in
-- email — and stay global: test/db/distribution.test.ts lists them and why.)
do $$
declare
  t text;
  fk record;
  saved text[] := '{}';
begin
  -- Every foreign key into the tables whose keys change, from any table (migrations after
  -- this one's number may have added some), kept to be made again.
  for fk in
    select c.conname, c.conrelid::regclass::text as tbl, pg_get_constraintdef(c.oid) as def
    from pg_constraint c
    where c.contype = 'f'
      and c.confrelid::regclass::text in ('users', 'api_tokens', 'payment_pages', 'payments', 'batches',
        'payment_schedules', 'links')
  loop
    saved := saved || format('alter table %s add constraint %I %s', fk.tbl, fk.conname, fk.def);
    execute format('alter table %s drop constraint %I', fk.tbl, fk.conname);
  end loop;

  foreach t in array array['users', 'api_tokens', 'payment_pages', 'payments', 'batches', 'payment_schedules', 'links']
  loop
    execute format('alter table %I drop constraint %I', t, t || '_firm_id_id_key');
    execute format('alter table %I drop constraint %I', t, t || '_pkey');
    execute format('alter table %I add constraint %I primary key (firm_id, id)', t, t || '_pkey');
  end loop;

  for i in 1 .. coalesce(array_length(saved, 1), 0) loop
    execute saved[i];
  end loop;
end $$;

-- The audit log is the firm's too.
alter table audit_events drop constraint audit_events_pkey;
alter table audit_events add constraint audit_events_pkey primary key (firm_id, id);
