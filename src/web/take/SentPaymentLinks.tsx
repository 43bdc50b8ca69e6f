import type { ColumnDef } from '@tanstack/react-table';
import { apiKey, call } from '../api/call.ts';
import type { LinkStatus, PaymentLink } from '../api/types.ts';
import { amountColumn, dateColumn } from '../common/columns.tsx';
import { formatUsd } from '../common/format.ts';
import { ListScreen, type CancelAction, type RowAction } from '../common/ListScreen.tsx';
import { linkStateColumns, resendAction } from './linkColumns.tsx';

const FILTERS = ['outstanding', 'paid', 'cancelled', 'expired'] as const satisfies readonly LinkStatus[];
type Filter = (typeof FILTERS)[number];
const payerOf = (link: PaymentLink) => link.payerName ?? link.payerEmail ?? 'the payer';
const invoicesOf = (link: PaymentLink) =>
  link.allocations.map((a) => a.invoiceNumber ?? a.clientNumber ?? '—').join(', ') || '—';
const named = (link: PaymentLink) => `${payerOf(link)} ${formatUsd(link.amountCents)}`;

const COLUMNS: ColumnDef<PaymentLink>[] = [
  dateColumn('sent', 'Sent', (l) => l.createdAt),
  { id: 'payer', header: 'Payer', cell: ({ row }) => row.original.payerName ?? row.original.payerEmail ?? '—' },
  { id: 'invoices', header: 'Invoices', cell: ({ row }) => invoicesOf(row.original) },
  amountColumn('amount', 'Amount', (l) => l.amountCents),
  ...linkStateColumns<PaymentLink>(),
];

const ACTIONS: RowAction<PaymentLink>[] = [resendAction('payment', (link) => `Resend payment link to ${named(link)}`)];

const CANCEL: CancelAction<PaymentLink> = {
  title: 'Cancel payment link',
  confirm: 'Cancel link',
  can: (link) => link.status === 'outstanding',
  buttonLabel: (link) => `Cancel payment link to ${named(link)}`,
  question: (link) =>
    `Cancel the link for ${formatUsd(link.amountCents)} sent to ${payerOf(link)}? They can no longer pay it, and are told the firm cancelled it. This cannot be undone.`,
  run: (link) => call('POST /payment-links/:id/cancel', { params: { id: link.id }, body: {} }),
  done: (link) =>
    `The link for ${formatUsd(link.amountCents)} to ${payerOf(link)} is cancelled; it can no longer be paid.`,
};

/**
 * The payment links the firm sent from Make A Payment: who, how much, when, and where each
 * stands. An accountant can send an outstanding one again (the payer gets a new address by
 * email; the old one stops working) or cancel it, after which the payer is told so.
 */
export function SentPaymentLinks() {
  return (
    <ListScreen<PaymentLink, Filter>
      title="Sent payment links"
      level={3}
      resource="payment-links"
      list={(status) => ({
        queryKey: apiKey('GET /payment-links', { query: { status } }),
        queryFn: () => call('GET /payment-links', { query: { status } }),
      })}
      filter={{ label: 'Show payment links', options: FILTERS }}
      noun="sent payment links"
      empty={(status) => (status ? `No ${status} payment link.` : 'No payment link sent yet.')}
      columns={COLUMNS}
      getRowId={(l) => l.id}
      describeRow={named}
      actions={ACTIONS}
      cancel={CANCEL}
      focusableScroll
    />
  );
}
