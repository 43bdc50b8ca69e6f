import type { z } from 'zod';
import type { batchOut } from '../../contract/batches.ts';
import type { connectStatusOut } from '../../contract/connect.ts';
import type { depositStatementEndpoint, payoutLineOut, payoutOut } from '../../contract/deposits.ts';
import type { Role } from '../../domain/types.ts';
import type { listFilters } from '../../contract/fields.ts';
import type { invoiceOut } from '../../contract/invoices.ts';
import type { createdPaymentLinkOut, createdQuickLinkOut, paymentLinkOut, quickLinkOut } from '../../contract/links.ts';
import type { matterOut } from '../../contract/matters.ts';
import type { paymentOut } from '../../contract/payments.ts';
import type { recordDetail } from '../../contract/postings.ts';
import type { allocationOut, postingRecord } from '../../contract/records.ts';
import type { scheduleOut } from '../../contract/schedules.ts';
import type { meOut } from '../../contract/session.ts';
import type { connectPaymentOut } from '../../contract/staff-payments.ts';

/** The shapes the API answers, as the OpenAPI document at /api/v1/openapi.json describes them. */
export type { Role };

/** The signed-in user, role and firm (GET /me). */
export type Me = z.output<typeof meOut>;

export { VIEWS, VIEW_LABELS, type View } from '../../domain/views.ts';

// The response shapes come from the server's own zod schemas (type-only: nothing of the
// server reaches the browser bundle), so the UI cannot drift from what the API answers.
export type AllocationView = z.output<typeof allocationOut>;
export type PostingRecord = z.output<typeof postingRecord>;
export type Payment = z.output<typeof paymentOut>;
export type Batch = z.output<typeof batchOut>;
export type HistoryEvent = z.output<typeof recordDetail>['history'][number];
/** An invoice found by the search; `availableCents` is its balance less what pending and queued records already apply. */
export type Invoice = z.output<typeof invoiceOut>;
/** A synced matter found by the search, with its client's name. */
export type Matter = z.output<typeof matterOut>;
export type ConnectPaymentResult = z.output<typeof connectPaymentOut>;
export type PaymentLink = z.output<typeof paymentLinkOut>;
export type CreatedPaymentLink = z.output<typeof createdPaymentLinkOut>;
export type QuickLink = z.output<typeof quickLinkOut>;
export type CreatedQuickLink = z.output<typeof createdQuickLinkOut>;
export type LinkStatus = QuickLink['status'];
export type PaymentSchedule = z.output<typeof scheduleOut>;

export type RecordDetail = z.output<typeof recordDetail>;

/** A processor payout and its lines (GET /deposits, GET /deposits/{id}, SPEC §5.3). */
export type Payout = z.output<typeof payoutOut>;
export type PayoutLine = z.output<typeof payoutLineOut>;
/** A month's deposits statement, per deposit account. */
export type DepositStatement = z.output<(typeof depositStatementEndpoint)['response']>;

/** What each agent last did and what waits for it (GET /connect/status, SPEC §5.2). */
export type ConnectStatus = z.output<typeof connectStatusOut>;
export type ConnectAgent = ConnectStatus['agents'][number];

/** The filters every list takes; amounts are already cents. */
export type ListFilters = z.input<typeof listFilters>;
