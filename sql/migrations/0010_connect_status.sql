-- paybridge schema, version 10: Connect status (SPEC §5.2). What each agent last did, per
-- agent token: its last contact (when, and what it said of itself in its request
-- headers), its last sync (when, what it sent and what changed) and its last delivery.

create table agent_contacts (
  firm_id uuid not null,
  token_id uuid not null,
  -- The last request made with the token; written at most once every 5 s, so an agent's
  -- long-poll loop does not write on every request.
  last_seen_at timestamptz,
  version text check (length(version) <= 64),
  host text check (length(host) <= 255),
  source text check (source in ('postgres', 'ledes', 'none')),
  sink text check (sink in ('file-drop', 'procedure')),
  poll_seconds integer check (poll_seconds between 1 and 86400),
  -- The last sync: when, the readAfter its pages shared (pages of one sync add up), the
  -- rows it sent and what they changed.
  last_sync_at timestamptz,
  last_sync_read_after timestamptz,
  sync_received_clients integer not null default 0 check (sync_received_clients >= 0),
  sync_received_matters integer not null default 0 check (sync_received_matters >= 0),
  sync_received_invoices integer not null default 0 check (sync_received_invoices >= 0),
  sync_changed_clients integer not null default 0 check (sync_changed_clients >= 0),
  sync_changed_matters integer not null default 0 check (sync_changed_matters >= 0),
  sync_changed_invoices integer not null default 0 check (sync_changed_invoices >= 0),
  sync_closed_invoices integer not null default 0 check (sync_closed_invoices >= 0),
  -- The last delivery the agent acknowledged.
  last_delivery_at timestamptz,
  last_delivery_seq integer,
  last_delivery_file text check (length(last_delivery_file) <= 200),
  primary key (firm_id, token_id),
  foreign key (firm_id, token_id) references api_tokens (firm_id, id)
);

-- agent_status kept one row per firm (the last sync and contact of any agent) and nothing
-- read it. Where the firm has exactly one agent token, its times are that agent's; where it
-- has several, they cannot be told apart and start afresh with each agent's next request.
insert into agent_contacts (firm_id, token_id, last_seen_at, last_sync_at)
select s.firm_id, t.id, s.last_seen_at, s.last_sync_at
from agent_status s
join api_tokens t on t.firm_id = s.firm_id and t.kind = 'agent' and t.revoked_at is null
where (select count(*) from api_tokens o where o.firm_id = s.firm_id and o.kind = 'agent' and o.revoked_at is null) = 1;

drop table agent_status;
