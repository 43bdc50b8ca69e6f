import type { z } from 'zod';
import type { allocationOut, batchOut, paymentOut, postingRecord, recordDetail } from '../../server/views.ts';

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

// The response shapes come from the server's own zod schemas (type-only: nothing of the
// server reaches the browser bundle), so the UI cannot drift from what the API answers.
export type AllocationView = z.output<typeof allocationOut>;
export type PostingRecord = z.output<typeof postingRecord>;
export type Payment = z.output<typeof paymentOut>;
export type Batch = z.output<typeof batchOut>;
export type HistoryEvent = z.output<typeof recordDetail>['history'][number];

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
