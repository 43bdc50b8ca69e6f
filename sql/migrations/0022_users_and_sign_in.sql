-- Issue 15: users managed in the UI, and sign-in hardening.

-- A one-time link to set a password: an invite for a new user, a reset for an existing one.
-- Only the token's hash is kept; a link is used once and expires.
create table password_links (
  id uuid primary key default gen_random_uuid(),
  firm_id uuid not null references firms (id),
  user_id uuid not null,
  kind text not null check (kind in ('invite', 'reset')),
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  unique (firm_id, id),
  foreign key (firm_id, user_id) references users (firm_id, id) on delete cascade
);
create index password_links_user_idx on password_links (firm_id, user_id);

-- Failed sign-ins per account, for the per-account throttle. Keyed by the hash of the
-- lower-cased email as typed (known or not, so the throttle tells nobody which emails
-- exist), with no firm: sign-in names none. In the database so every server instance
-- counts the same failures.
create table sign_in_failures (
  email_hash text not null,
  at timestamptz not null default now()
);
create index sign_in_failures_email_idx on sign_in_failures (email_hash, at);

-- TOTP two-factor: the secret (set when enrolment starts, in force once confirmed) and the
-- last time step accepted, so a code is never accepted twice.
alter table users
  add column totp_secret text,
  add column totp_enabled_at timestamptz,
  add column totp_last_step bigint;

-- Single-use recovery codes, kept only as hashes.
create table recovery_codes (
  firm_id uuid not null,
  user_id uuid not null,
  code_hash text not null,
  used_at timestamptz,
  primary key (firm_id, user_id, code_hash),
  foreign key (firm_id, user_id) references users (firm_id, id) on delete cascade
);

alter table firms add column require_admin_two_factor boolean not null default false;
