import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AgentSink, AgentSource } from '../domain/types.ts';

/** Column types of the tables in sql/migrations. Keep in step with the SQL. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** int8 columns: parsed to a safe integer on both engines (see connect.ts). */
type Int8 = ColumnType<number, number | bigint, number | bigint>;
type Json = ColumnType<unknown, string, string>;

export interface FirmsTable {
  id: Generated<string>;
  code: string;
  name: string;
  mms_kind: Generated<string>;
  file_format: Generated<string>;
  auto_apply: Generated<boolean>;
  use_posted_date: Generated<boolean>;
  auto_post: Generated<boolean>;
  auto_post_minutes: Generated<number>;
  last_auto_post_at: Timestamp | null;
  next_batch_seq: Generated<number>;
  /** The HMAC key of the firm's processor webhook (0003); never shown by a GET. */
  webhook_secret: Generated<string>;
  /** IANA name (0008): the zone of every calendar date derived for the firm. */
  time_zone: Generated<string>;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  firm_id: string;
  email: string;
  name: string;
  role: 'admin' | 'accountant' | 'viewer';
  password_hash: string | null;
  disabled_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface SessionsTable {
  token_hash: string;
  firm_id: string;
  user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  firm_id: string;
  kind: 'user' | 'agent';
  user_id: string | null;
  token_hash: string;
  label: Generated<string>;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface ClientsTable {
  firm_id: string;
  client_number: string;
  name: string;
  updated_at: Generated<Date>;
}

export interface MattersTable {
  firm_id: string;
  client_number: string;
  matter_number: string;
  description: Generated<string>;
  updated_at: Generated<Date>;
}

export interface InvoicesTable {
  firm_id: string;
  invoice_number: string;
  client_number: string;
  matter_number: string;
  /** YYYY-MM-DD: date columns are read as strings on both engines. */
  invoice_date: string;
  total_cents: Int8;
  balance_cents: Int8;
  status: 'open' | 'paid' | 'void';
  updated_at: Generated<Date>;
}

export interface PaymentPagesTable {
  id: Generated<string>;
  firm_id: string;
  name: string;
  slug: string;
  account: 'operating' | 'trust';
  create_posting_record: Generated<boolean>;
  surcharge_bps: Generated<number>;
  enabled: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface PaymentsTable {
  id: Generated<string>;
  firm_id: string;
  processor_id: string;
  processed_at: Timestamp;
  amount_cents: Int8;
  surcharge_cents: Int8;
  method: 'card' | 'echeck';
  card_brand: string | null;
  last4: string | null;
  account: 'operating' | 'trust';
  payer_name: string;
  payer_email: string | null;
  invoice_numbers: string[];
  client_number: string | null;
  matter_number: string | null;
  payer_allocations: Json | null;
  origin: 'connect' | 'payment_page' | 'enter_payment' | 'payment_schedule' | 'quick_link';
  payment_page_id: string | null;
  status: Generated<'approved' | 'declined' | 'voided' | 'refunded' | 'charged_back'>;
  reversed_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface BatchesTable {
  id: Generated<string>;
  firm_id: string;
  seq: number;
  file_name: string;
  file_format: string;
  content: Uint8Array;
  sha256: string;
  line_count: number;
  total_cents: Int8;
  record_count: number;
  status: Generated<'queued' | 'delivered'>;
  created_by: string;
  created_at: CreatedAt;
  delivered_at: Timestamp | null;
  /** The zone the lines' payment dates were read in (0008). */
  time_zone: string;
  /** YYYY-MM-DD: every line's date when the firm dated lines by the day of posting; null: each line has its payment's date. */
  posting_date: string | null;
  /** The delivering agent reports the MMS's answer (0009); without one, delivery counts as applied. */
  answer_expected: Generated<boolean>;
  applied_lines: Generated<number>;
  rejected_lines: Generated<number>;
}

export interface PostingRecordsTable {
  id: Generated<string>;
  firm_id: string;
  payment_id: string;
  reversal_of: string | null;
  status: 'pending' | 'incomplete' | 'queued' | 'posted' | 'removed';
  reasons: string[];
  from_payment_page: Generated<boolean>;
  amount_cents: Int8;
  surcharge_cents: Int8;
  account: 'operating' | 'trust';
  memo: Generated<string>;
  removal_note: string | null;
  batch_id: string | null;
  version: Generated<number>;
  processed_at: Timestamp;
  payer_name: string;
  origin: string;
  method: string;
  invoice_numbers: string[];
  search_text: Generated<string>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
  status_changed_at: Generated<Date>;
  /** The lines are an accountant's (Edit Posting Record), not inferred from the payment. */
  reallocated: Generated<boolean>;
  /** An accountant accepted that a third party pays this client's invoice. */
  client_mismatch_accepted: Generated<boolean>;
  /** Every invoice number the record refers to: typed, in the payer's split, in its lines. */
  refers_to: Generated<string[]>;
  /** What the MMS did with the record's last delivery (0009); null until delivered. */
  mms_status: 'awaiting' | 'applied' | 'rejected' | null;
  mms_message: string | null;
  mms_answered_at: Timestamp | null;
  /** How many times the MMS refused it: each new batch of the record is a new attempt. */
  mms_refusals: Generated<number>;
}

/** Kept by triggers (migration 0004): a record's search text, under a trigram index. */
export interface PostingRecordSearchTable {
  firm_id: string;
  record_id: string;
  search_text: string;
}

/** Kept by triggers (migration 0004): signed changes to each firm's record counts, summed when read. */
export interface PostingRecordTalliesTable {
  firm_id: string;
  status: 'pending' | 'incomplete' | 'queued' | 'posted' | 'removed';
  account: 'operating' | 'trust';
  origin: string;
  records: Int8;
  cents: Int8;
}

export interface AllocationsTable {
  firm_id: string;
  record_id: string;
  line: number;
  invoice_number: string | null;
  client_number: string | null;
  matter_number: string | null;
  amount_cents: Int8;
  /** When a sync, read after this posted line was delivered, brought its invoice's balance. */
  reflected_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface BatchLinesTable {
  firm_id: string;
  batch_id: string;
  record_id: string;
  line: number;
  file_line: number;
  amount_cents: Int8;
  /** The record's attempt (its mms_refusals when it was batched): one batch per attempt. */
  attempt: Generated<number>;
}

/** Every refusal by the MMS of a record's delivery in a batch (0009); append-only. */
export interface MmsRejectionsTable {
  firm_id: string;
  record_id: string;
  batch_id: string;
  at: Generated<Date>;
  message: string;
}

export interface AuditEventsTable {
  id: ColumnType<number, never, never>;
  firm_id: string;
  at: Generated<Date>;
  actor_kind: 'user' | 'agent' | 'system';
  actor_id: string | null;
  actor_label: string;
  action: string;
  record_id: string | null;
  batch_id: string | null;
  from_status: string | null;
  to_status: string | null;
  detail: Json | null;
}

export interface IdempotencyKeysTable {
  firm_id: string;
  principal: string;
  key: string;
  request_hash: string;
  status_code: number;
  response_body: Json | null;
  created_at: CreatedAt;
}

/** What each agent token last did (0010, SPEC §5.2). */
export interface AgentContactsTable {
  firm_id: string;
  token_id: string;
  last_seen_at: Timestamp | null;
  version: string | null;
  host: string | null;
  source: AgentSource | null;
  sink: AgentSink | null;
  poll_seconds: number | null;
  last_sync_at: Timestamp | null;
  last_sync_read_after: Timestamp | null;
  sync_received_clients: Generated<number>;
  sync_received_matters: Generated<number>;
  sync_received_invoices: Generated<number>;
  sync_changed_clients: Generated<number>;
  sync_changed_matters: Generated<number>;
  sync_changed_invoices: Generated<number>;
  sync_closed_invoices: Generated<number>;
  last_delivery_at: Timestamp | null;
  last_delivery_seq: number | null;
  last_delivery_file: string | null;
}

export interface ProcessorEventsTable {
  firm_id: string;
  event_id: string;
  type: string;
  processor_id: string;
  outcome: string;
  received_at: Generated<Date>;
}

export type LinkStatus = 'outstanding' | 'paid' | 'cancelled';

/** Payment links (kind payment: allocations, client_number) and quick links (kind quick: description). */
export interface LinksTable {
  id: Generated<string>;
  firm_id: string;
  kind: 'payment' | 'quick';
  token_hash: string;
  amount_cents: Int8;
  account: 'operating' | 'trust';
  allocations: Json | null;
  client_number: string | null;
  description: string | null;
  payer_name: string | null;
  payer_email: string | null;
  status: Generated<LinkStatus>;
  paying_until: Timestamp | null;
  payment_id: string | null;
  created_by: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  paid_at: Timestamp | null;
  cancelled_at: Timestamp | null;
}

export interface PaymentSchedulesTable {
  id: Generated<string>;
  firm_id: string;
  processor_token: string;
  method: 'card' | 'echeck';
  card_brand: string | null;
  last4: string | null;
  amount_cents: Int8;
  account: 'operating' | 'trust';
  description: string;
  payer_name: string;
  payer_email: string | null;
  client_number: string | null;
  matter_number: string | null;
  frequency: 'weekly' | 'monthly';
  anchor_day: number;
  /** YYYY-MM-DD; null once cancelled. */
  next_run_on: string | null;
  status: Generated<'active' | 'cancelled'>;
  created_by: string;
  created_at: CreatedAt;
  cancelled_at: Timestamp | null;
}

export interface ScheduleRunsTable {
  firm_id: string;
  schedule_id: string;
  /** YYYY-MM-DD */
  run_on: string;
  status: 'claimed' | 'paid' | 'declined';
  claimed_until: Timestamp;
  processor_id: string | null;
  payment_id: string | null;
  decline_reason: string | null;
  finished_at: Timestamp | null;
}

export type SandboxOutcome = 'approve' | 'decline' | 'approve_then_chargeback' | 'approve_then_return';

export interface SandboxTokensTable {
  token_hash: string;
  method: 'card' | 'echeck';
  brand: string;
  last4: string;
  outcome: SandboxOutcome;
  decline_reason: string | null;
  created_at: CreatedAt;
}

export type SandboxChargeStatus = 'approved' | 'declined' | 'refunded' | 'voided' | 'charged_back' | 'returned';

export interface SandboxChargesTable {
  id: string;
  firm_id: string;
  idempotency_key: string;
  token_hash: string;
  amount_cents: Int8;
  status: SandboxChargeStatus;
  decline_reason: string | null;
  created_at: Timestamp;
}

export interface SandboxEventsTable {
  id: ColumnType<number, never, never>;
  firm_id: string;
  event_id: string;
  body: Json;
  deliver_after: Timestamp;
  attempts: Generated<number>;
  leased_until: Timestamp | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  gave_up_at: Timestamp | null;
}

export interface Database {
  firms: FirmsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  clients: ClientsTable;
  matters: MattersTable;
  invoices: InvoicesTable;
  payment_pages: PaymentPagesTable;
  payments: PaymentsTable;
  batches: BatchesTable;
  posting_records: PostingRecordsTable;
  posting_record_search: PostingRecordSearchTable;
  posting_record_tallies: PostingRecordTalliesTable;
  allocations: AllocationsTable;
  batch_lines: BatchLinesTable;
  mms_rejections: MmsRejectionsTable;
  audit_events: AuditEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  agent_contacts: AgentContactsTable;
  processor_events: ProcessorEventsTable;
  links: LinksTable;
  payment_schedules: PaymentSchedulesTable;
  schedule_runs: ScheduleRunsTable;
  sandbox_tokens: SandboxTokensTable;
  sandbox_charges: SandboxChargesTable;
  sandbox_events: SandboxEventsTable;
}

export type Firm = Selectable<FirmsTable>;
export type User = Selectable<UsersTable>;
export type Invoice = Selectable<InvoicesTable>;
export type Payment = Selectable<PaymentsTable>;
export type NewPayment = Insertable<PaymentsTable>;
export type PostingRecordRow = Selectable<PostingRecordsTable>;
export type PostingRecordUpdate = Updateable<PostingRecordsTable>;
export type Batch = Selectable<BatchesTable>;
export type AllocationRow = Selectable<AllocationsTable>;
