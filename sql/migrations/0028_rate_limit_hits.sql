-- Issue 17: the request rate limits (@fastify/rate-limit: sign-in, the payer's public
-- routes, the processor webhook) count in the database, so several server instances
-- behind one proxy hold one limit in total rather than one each. A row is one limit's key
-- (the route and the caller's address) and the window it is counting in: a window opens
-- at the key's first request and ends window_ends_at; a request after that opens the
-- next. Not firm-owned: the callers it counts (sign-in, payers) name no firm yet, so the
-- key is global (test/db/distribution.test.ts lists it). The scheduler deletes rows whose
-- window has ended.
create table rate_limit_hits (
  key text primary key,
  window_ends_at timestamptz not null,
  hits integer not null check (hits > 0)
);
create index rate_limit_hits_window_ends_at_idx on rate_limit_hits (window_ends_at);
