-- Security finding (issue 17, SPEC §7): a payment schedule kept the processor's token it
-- was made with, which charges the card wherever it is sent. A schedule now keeps the
-- processor's vault reference instead: the processor keeps the card, and the reference
-- charges it only for the firm that vaulted it, only at that processor.
create table sandbox_vault (
  ref text primary key check (ref ~ '^sbx_pm_[0-9a-f]{24}$'),
  firm_id uuid not null references firms (id),
  token_hash text not null references sandbox_tokens (token_hash),
  created_at timestamptz not null default now()
);

-- Each existing schedule's token goes into the vault (its firm owns the token already,
-- migration 0018), and the schedule keeps the reference.
create temporary table schedule_refs on commit drop as
select s.firm_id, s.id, 'sbx_pm_' || substr(md5(random()::text || s.id::text), 1, 24) as ref,
  encode(sha256(convert_to(s.processor_token, 'UTF8')), 'hex') as token_hash
from payment_schedules s
where s.processor_token not like 'sbx_pm_%';
insert into sandbox_vault (ref, firm_id, token_hash)
select r.ref, r.firm_id, r.token_hash from schedule_refs r
where exists (select 1 from sandbox_tokens t where t.token_hash = r.token_hash);
update payment_schedules s set processor_token = r.ref
from schedule_refs r
where r.firm_id = s.firm_id and r.id = s.id
  and exists (select 1 from sandbox_vault v where v.ref = r.ref);
