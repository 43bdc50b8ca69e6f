-- SPEC §3.6: a surcharge is charged on a credit card only, and at most 300 basis points.
-- The processor reports each card's funding (credit, debit or prepaid): the sandbox's
-- tokens keep it as its test cards define it, and each payment keeps what was reported
-- (null for an eCheck, or a card whose origin did not say).
alter table sandbox_tokens
  add column funding text check (funding in ('credit', 'debit', 'prepaid')),
  add constraint sandbox_tokens_funding_check_method check ((method = 'card') = (funding is not null)) not valid;
-- Every token made before funding existed was one of the then test cards, all credit.
update sandbox_tokens set funding = 'credit' where method = 'card' and funding is null;
alter table sandbox_tokens validate constraint sandbox_tokens_funding_check_method;

alter table payments
  add column card_funding text check (card_funding in ('credit', 'debit', 'prepaid')),
  add constraint payments_card_funding_method_check check (card_funding is null or method = 'card');

-- A page set above the cap before it existed charges the cap (src/domain/surcharge.ts
-- pageSurchargeCents); a page saved from now on is refused above it.
update payment_pages set surcharge_bps = 300 where surcharge_bps > 300;
alter table payment_pages drop constraint payment_pages_surcharge_bps_check;
alter table payment_pages add constraint payment_pages_surcharge_bps_check check (surcharge_bps between 0 and 300);

-- take_payment as in migration 0007, now writing the card's funding.
drop function take_payment(uuid, jsonb, jsonb, jsonb, jsonb, text[], text[], text[], text);
create function take_payment(p_firm uuid, p_payment jsonb, p_record jsonb, p_allocations jsonb, p_audit jsonb,
  p_numbers text[], p_clients text[], p_matters text[], p_fingerprint text)
returns text
language plpgsql volatile
set plan_cache_mode = force_generic_plan
as $$
declare
  v_payment uuid;
begin
  insert into payments (id, firm_id, processor_id, processed_at, amount_cents, surcharge_cents, method, card_brand, card_funding, last4, account,
    payer_name, payer_email, invoice_numbers, client_number, matter_number, payer_allocations, origin, payment_page_id)
  select p.id, p_firm, p.processor_id, p.processed_at, p.amount_cents, p.surcharge_cents, p.method, p.card_brand, p.card_funding, p.last4, p.account,
    p.payer_name, p.payer_email, p.invoice_numbers, p.client_number, p.matter_number, p.payer_allocations, p.origin, p.payment_page_id
  from jsonb_populate_record(null::payments, p_payment) p
  on conflict (firm_id, processor_id) do nothing
  returning id into v_payment;
  if v_payment is null then
    return 'duplicate';
  end if;
  if p_record is not null then
    perform lock_mirror(p_firm, false);
    perform lock_invoices(p_firm, p_numbers);
    if md5(intake_facts(p_firm, p_numbers, p_clients, p_matters)::text) is distinct from p_fingerprint then
      raise exception 'the invoices changed while the payment was classified' using errcode = 'PB001';
    end if;
    insert into posting_records (id, firm_id, payment_id, status, reasons, from_payment_page, amount_cents, surcharge_cents, account,
      processed_at, payer_name, origin, method, invoice_numbers, refers_to, search_text, created_at, updated_at, status_changed_at)
    select r.id, p_firm, v_payment, r.status, r.reasons, r.from_payment_page, r.amount_cents, r.surcharge_cents, r.account,
      r.processed_at, r.payer_name, r.origin, r.method, r.invoice_numbers, r.refers_to, r.search_text, r.created_at, r.created_at, r.created_at
    from jsonb_populate_record(null::posting_records, p_record) r;
    insert into allocations (firm_id, record_id, line, invoice_number, client_number, matter_number, amount_cents)
    select p_firm, (p_record->>'id')::uuid, a.line, a.invoice_number, a.client_number, a.matter_number, a.amount_cents
    from jsonb_populate_recordset(null::allocations, p_allocations) a;
  end if;
  insert into audit_events (firm_id, actor_kind, actor_id, actor_label, action, record_id, to_status, detail)
  select p_firm, e.actor_kind, e.actor_id, e.actor_label, e.action, e.record_id, e.to_status, e.detail
  from jsonb_populate_recordset(null::audit_events, p_audit) with ordinality as e
  order by e.ordinality;
  return 'taken';
end $$;
