-- paybridge schema, version 20: email (issue 15). Mail is queued in the database and sent
-- by the scheduler, so a message is written with what it tells of (a receipt commits
-- with its payment) but sent after the commit, outside every transaction: an SMTP
-- server that is down or refuses delays the mail and never fails or undoes the change.
-- Each instance claims due rows with FOR UPDATE SKIP LOCKED, so several instances send
-- a message once.

-- What each user wants to hear of the firm's staff events: nothing (no row), each event
-- as it happens, or one digest a day in the firm's time zone.
create table notification_preferences (
  firm_id uuid not null,
  user_id uuid not null,
  mode text not null check (mode in ('none', 'each', 'digest')),
  updated_at timestamptz not null default now(),
  primary key (firm_id, user_id),
  foreign key (firm_id, user_id) references users (firm_id, id)
);

-- The events staff may be told of, once each: natural_key is what makes an event the same
-- event again (a record's id, a batch line, a schedule's run and attempt, the moment an
-- agent was last seen), so recording it twice changes nothing.
create table staff_events (
  firm_id uuid not null references firms (id),
  id uuid not null default gen_random_uuid(),
  kind text not null check (kind in ('posting_failure', 'incomplete_record', 'agent_silent', 'schedule_failed')),
  natural_key text not null check (length(natural_key) <= 200),
  occurred_at timestamptz not null default now(),
  detail jsonb not null,
  primary key (firm_id, id),
  unique (firm_id, kind, natural_key)
);
create index staff_events_by_time on staff_events (firm_id, occurred_at);

-- The mail queue. A receipt, a staff event's message and a digest are rendered when sent,
-- from what they refer to; a link's message is rendered when queued (its token is kept
-- nowhere else) and its body is cleared once sent.
create table mail_queue (
  firm_id uuid not null references firms (id),
  id uuid not null default gen_random_uuid(),
  kind text not null check (kind in ('receipt', 'link', 'event', 'digest')),
  recipient text not null check (length(recipient) between 3 and 320),
  payment_id uuid,
  event_id uuid,
  user_id uuid,
  digest_day date,
  message jsonb,
  status text not null default 'queued' check (status in ('queued', 'sent', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  -- Once sent: its subject, and how (smtp, or the outbox file's name, which is how a
  -- firm's admin is shown only the firm's own files of the shared outbox folder).
  subject text,
  via text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (firm_id, id),
  check ((kind = 'receipt') = (payment_id is not null)),
  check ((kind = 'event') = (event_id is not null)),
  check ((kind = 'digest') = (digest_day is not null)),
  check ((kind = 'link') = (message is not null) or status <> 'queued')
);
-- One receipt per payment, one message per event and user, one digest per user and day:
-- a second instance (or a second run) queueing the same one finds it there.
create unique index mail_queue_one_receipt on mail_queue (firm_id, payment_id) where kind = 'receipt';
create unique index mail_queue_one_event on mail_queue (firm_id, event_id, user_id) where kind = 'event';
create unique index mail_queue_one_digest on mail_queue (firm_id, user_id, digest_day) where kind = 'digest';
create index mail_queue_due on mail_queue (next_attempt_at) where status = 'queued';
create index mail_queue_by_firm on mail_queue (firm_id, created_at desc);

-- Every payment with a payer email queues its receipt in the payment's own transaction,
-- whatever took it in (a payment page, a link, Connect, Enter Payment, a schedule, the
-- processor's webhook): the receipt exists exactly when the payment does.
create function paybridge_queue_receipt() returns trigger language plpgsql as $$
begin
  insert into mail_queue (firm_id, kind, recipient, payment_id)
    values (new.firm_id, 'receipt', new.payer_email, new.id)
    on conflict do nothing;
  return new;
end $$;
create trigger payments_queue_receipt after insert on payments
  for each row when (new.payer_email is not null and length(new.payer_email) >= 3)
  execute function paybridge_queue_receipt();

-- Records a staff event (once) and queues its message for every user who wants each one.
create function paybridge_staff_event(p_firm uuid, p_kind text, p_key text, p_detail jsonb, p_at timestamptz)
returns void language plpgsql as $$
declare
  event uuid;
begin
  insert into staff_events (firm_id, kind, natural_key, detail, occurred_at)
    values (p_firm, p_kind, p_key, p_detail, p_at)
    on conflict do nothing
    returning id into event;
  if event is null then
    return;
  end if;
  insert into mail_queue (firm_id, kind, recipient, event_id, user_id)
    select p.firm_id, 'event', u.email, event, u.id
    from notification_preferences p
    join users u on u.firm_id = p.firm_id and u.id = p.user_id
    where p.firm_id = p_firm and p.mode = 'each' and u.disabled_at is null
    on conflict do nothing;
end $$;

-- A record made incomplete (a payment the rules could not place, a correction's
-- replacement) is a new incomplete record; one sent back by the MMS is a posting failure,
-- recorded by the use case that hears of it.
create function paybridge_incomplete_record_event() returns trigger language plpgsql as $$
begin
  perform paybridge_staff_event(new.firm_id, 'incomplete_record', new.id::text,
    jsonb_build_object('recordId', new.id, 'payerName', new.payer_name, 'amountCents', new.amount_cents,
      'reasons', to_jsonb(new.reasons), 'account', new.account),
    new.created_at);
  return new;
end $$;
create trigger posting_records_incomplete_event after insert on posting_records
  for each row when (new.status = 'incomplete')
  execute function paybridge_incomplete_record_event();
