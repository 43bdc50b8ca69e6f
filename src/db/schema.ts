import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

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
}

export interface AllocationsTable {
  firm_id: string;
  record_id: string;
  line: number;
  invoice_number: string | null;
  client_number: string | null;
  matter_number: string | null;
  amount_cents: Int8;
}

export interface BatchLinesTable {
  firm_id: string;
  batch_id: string;
  record_id: string;
  line: number;
  file_line: number;
  amount_cents: Int8;
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

export interface AgentStatusTable {
  firm_id: string;
  last_sync_at: Timestamp | null;
  last_seen_at: Timestamp | null;
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
  allocations: AllocationsTable;
  batch_lines: BatchLinesTable;
  audit_events: AuditEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  agent_status: AgentStatusTable;
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
