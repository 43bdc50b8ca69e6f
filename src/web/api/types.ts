import type { Reason, RecordStatus } from '../../domain/types.ts';

/** The shapes the API answers, as the OpenAPI document at /api/v1/openapi.json describes them. */
export type Role = 'admin' | 'accountant' | 'viewer';

export interface Me {
  user: { id: string; email: string; name: string; role: Role };
  firm: { id: string; code: string; name: string; creditUploadNeeded?: boolean };
  csrfToken: string | null;
}

export const VIEWS = ['pending_incomplete', 'pending', 'incomplete', 'posted', 'removed', 'queued', 'all'] as const;
export type View = (typeof VIEWS)[number];

export const VIEW_LABELS: Record<View, string> = {
  pending_incomplete: 'Pending/Incomplete',
  pending: 'Pending',
  incomplete: 'Incomplete',
  posted: 'Posted',
  removed: 'Removed',
  queued: 'Queued',
  all: 'All (Read Only)',
};

export type Counts = Record<View, number> & { pendingTotalCents?: number };

export interface AllocationView {
  invoiceNumber: string | null;
  clientNumber: string | null;
  matterNumber: string | null;
  amountCents: number;
}

export interface PostingRecord {
  id: string;
  paymentId: string;
  reversalOf: string | null;
  status: RecordStatus;
  reasons: Reason[];
  fromPaymentPage: boolean;
  amountCents: number;
  surchargeCents: number;
  account: 'operating' | 'trust';
  method: string;
  cardBrand: string | null;
  last4: string | null;
  origin: string;
  payerName: string;
  invoiceNumbers: string[];
  clientNumber: string | null;
  matterNumber: string | null;
  allocations: AllocationView[];
  memo: string;
  removalNote: string | null;
  batchId: string | null;
  batchSeq: number | null;
  version: number;
  processedAt: string;
  statusChangedAt: string;
  updatedAt: string;
}

export interface Payment {
  id: string;
  processorId: string;
  processedAt: string;
  amountCents: number;
  surchargeCents: number;
  method: string;
  cardBrand: string | null;
  last4: string | null;
  account: string;
  payerName: string;
  payerEmail: string | null;
  invoiceNumbers: string[];
  clientNumber: string | null;
  matterNumber: string | null;
  origin: string;
  paymentPageId: string | null;
  status: string;
  reversedAt: string | null;
  postingRecordId: string | null;
  postingStatus: string | null;
}

export interface Batch {
  id: string;
  seq: number;
  fileName: string;
  fileFormat: string;
  sha256: string;
  lineCount: number;
  recordCount: number;
  totalCents: number;
  status: 'queued' | 'delivered';
  createdBy: string;
  createdAt: string;
  deliveredAt: string | null;
}

export interface HistoryEvent {
  at: string;
  actor: string;
  actorKind: string;
  action: string;
  from: string | null;
  to: string | null;
  detail: unknown;
}

export interface RecordDetail extends PostingRecord {
  payment: Payment;
  batch: Batch | null;
  history: HistoryEvent[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Invoice {
  invoiceNumber: string;
  clientNumber: string;
  matterNumber: string;
  invoiceDate: string;
  clientName: string;
  matterDescription: string;
  totalCents: number;
  balanceCents: number;
  /** The balance less what pending and queued records already apply. */
  availableCents: number;
  status: 'open' | 'paid' | 'void';
}

/** The filters every list takes; amounts are already cents. */
export interface ListFilters {
  q?: string;
  from?: string;
  to?: string;
  minCents?: number;
  maxCents?: number;
  account?: string;
  origin?: string;
}
