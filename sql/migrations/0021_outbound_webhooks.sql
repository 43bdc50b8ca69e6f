-- Issue 15: outbound webhooks for the firm's own systems, and the firm's audit log.

-- An endpoint of the firm's: where to send, which kinds of event it wants, and the secret
-- its deliveries are signed with (kept as is: an HMAC needs the key itself, like
-- firms.webhook_secret).
create table webhook_endpoints (
  firm_id uuid not null references firms (id),
  id uuid not null default gen_random_uuid(),
  label text not null check (length(label) between 1 and 100),
  url text not null check (length(url) between 1 and 2000),
  kinds text[] not null check (cardinality(kinds) >= 1),
  secret text not null,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (firm_id, id)
);

-- The outbox: one row per event per endpoint that wants it, written in the transaction of
-- the change it reports, then sent by the scheduler. `body` is the exact JSON sent (and signed).
create table webhook_deliveries (
  firm_id uuid not null,
  id uuid not null default gen_random_uuid(),
  endpoint_id uuid not null,
  event_id text not null,
  kind text not null,
  body text not null,
  created_at timestamptz not null default now(),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  -- A scheduler run that claimed the delivery holds it until then; another run leaves it alone.
  leased_until timestamptz,
  delivered_at timestamptz,
  gave_up_at timestamptz,
  primary key (firm_id, id),
  unique (firm_id, endpoint_id, event_id),
  foreign key (firm_id, endpoint_id) references webhook_endpoints (firm_id, id) on delete cascade
);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at)
  where delivered_at is null and gave_up_at is null;

-- Every attempt at a delivery: the endpoint's delivery log.
create table webhook_attempts (
  firm_id uuid not null,
  delivery_id uuid not null,
  attempt integer not null check (attempt >= 1),
  endpoint_id uuid not null,
  at timestamptz not null,
  status_code integer,
  error text check (length(error) <= 300),
  duration_ms integer not null check (duration_ms >= 0),
  primary key (firm_id, delivery_id, attempt),
  foreign key (firm_id, delivery_id) references webhook_deliveries (firm_id, id) on delete cascade
);
create index webhook_attempts_endpoint_idx on webhook_attempts (firm_id, endpoint_id, at desc, delivery_id, attempt);

-- payment.taken: intake writes a payment through take_payment() in one statement, so the
-- event is queued by the database in that same statement, for the endpoints that want it.
-- The payload's shape is paymentTakenData in src/contract/webhook-endpoints.ts.
create function paybridge_queue_payment_taken() returns trigger language plpgsql as $$
begin
  insert into webhook_deliveries (firm_id, endpoint_id, event_id, kind, body)
  select p.firm_id, e.id, 'evt_' || replace(p.id::text, '-', ''), 'payment.taken',
    jsonb_build_object(
      'id', 'evt_' || replace(p.id::text, '-', ''),
      'type', 'payment.taken',
      'created', floor(extract(epoch from now()))::bigint,
      'data', jsonb_build_object(
        'paymentId', p.id, 'processorId', p.processor_id, 'origin', p.origin,
        'amountCents', p.amount_cents, 'surchargeCents', p.surcharge_cents, 'method', p.method,
        'account', p.account, 'payerName', p.payer_name, 'invoiceNumbers', to_jsonb(p.invoice_numbers),
        'clientNumber', p.client_number, 'matterNumber', p.matter_number,
        'processedAt', to_char(p.processed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      )
    )::text
  from inserted p
  join webhook_endpoints e on e.firm_id = p.firm_id and e.enabled and 'payment.taken' = any (e.kinds)
  where p.status = 'approved';
  return null;
end $$;
create trigger payments_queue_webhooks after insert on payments
  referencing new table as inserted for each statement execute function paybridge_queue_payment_taken();
