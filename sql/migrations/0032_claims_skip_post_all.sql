-- paybridge schema, version 32: Post All's UPDATE no longer pairs its rows to learn that
-- it moves no claim.
--
-- posting_records_claims_update (migration 0029) joined the old and new rows of every
-- UPDATE of posting_records, and the lines of each, before its WHERE let go of the rows
-- that stay between pending and queued. Post All (pending to queued, 100,000 rows) is
-- exactly such an update: on the bench's big firm (40,000 rows) the trigger took 813 ms
-- of the UPDATE's 9.8 s to add nothing. Now it first looks whether any row, before or
-- after, is outside pending and queued, reading each transition table until the first
-- such row; when none is, no line's claim can move (line_claim_cents counts pending and
-- queued alike) and it returns. Every other update runs the same statement as before.
create or replace function posting_records_claims_update() returns trigger language plpgsql as $$
begin
  if not exists (select from new_rows n where n.status not in ('pending', 'queued'))
    and not exists (select from old_rows o where o.status not in ('pending', 'queued')) then
    return null;
  end if;
  execute $q$
    insert into invoice_claims (firm_id, invoice_number, claimed_cents)
    select a.firm_id, a.invoice_number,
      sum(line_claim_cents(n.status, a.invoice_number, a.amount_cents, a.reflected_at)
        - line_claim_cents(o.status, a.invoice_number, a.amount_cents, a.reflected_at))
    from old_rows o
    join new_rows n on n.firm_id = o.firm_id and n.id = o.id
    join allocations a on a.firm_id = n.firm_id and a.record_id = n.id
    where o.status <> n.status
      and not (o.status in ('pending', 'queued') and n.status in ('pending', 'queued'))
      and a.invoice_number is not null and a.amount_cents > 0
    group by a.firm_id, a.invoice_number
    having sum(line_claim_cents(n.status, a.invoice_number, a.amount_cents, a.reflected_at)
      - line_claim_cents(o.status, a.invoice_number, a.amount_cents, a.reflected_at)) <> 0
    order by a.firm_id, a.invoice_number collate "C"
    on conflict (firm_id, invoice_number) do update set claimed_cents = invoice_claims.claimed_cents + excluded.claimed_cents
  $q$;
  return null;
end $$;
