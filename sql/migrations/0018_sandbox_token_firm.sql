-- Security finding (issue 17): a sandbox token was not tied to a firm, so a token one firm
-- holds (a schedule's, say) could be charged by another. A processor's token belongs to
-- one merchant: the firm that first charges it owns it, and any
-- other firm's use is refused as an unknown token.
alter table sandbox_tokens add column firm_id uuid references firms (id);

-- Tokens already used: the firm of their first charge, or of the schedule that keeps it.
update sandbox_tokens t
set firm_id = c.firm_id
from (
  select distinct on (token_hash) token_hash, firm_id from sandbox_charges order by token_hash, created_at
) c
where c.token_hash = t.token_hash;
update sandbox_tokens t
set firm_id = s.firm_id
from payment_schedules s
where t.firm_id is null
  and t.token_hash = encode(sha256(convert_to(s.processor_token, 'UTF8')), 'hex');
