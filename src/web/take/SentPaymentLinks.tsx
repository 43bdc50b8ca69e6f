import { Button, Group, Modal, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { apiKey, call, callOnce, resourceOf } from '../api/call.ts';
import type { LinkStatus, PaymentLink } from '../api/types.ts';
import { amountColumn, dateColumn } from '../common/columns.tsx';
import { DataTable } from '../common/DataTable.tsx';
import { errorText } from '../common/errors.ts';
import { formatDateTime, formatUsd } from '../common/format.ts';
import { EmptyState, ErrorState, LoadingState, OutcomeAlert, type Outcome } from '../common/States.tsx';
import { useCan } from '../session.ts';
import { LinkStatusBadge } from './LinkStatusBadge.tsx';

const FILTERS = ['outstanding', 'paid', 'cancelled', 'expired'] as const satisfies readonly LinkStatus[];
const ALL = 'all';
const titleCase = (value: string) => value[0]!.toUpperCase() + value.slice(1);
const payerOf = (link: PaymentLink) => link.payerName ?? link.payerEmail ?? 'the payer';
const invoicesOf = (link: PaymentLink) =>
  link.allocations.map((a) => a.invoiceNumber ?? a.clientNumber ?? '—').join(', ') || '—';

const COLUMNS: ColumnDef<PaymentLink>[] = [
  dateColumn('sent', 'Sent', (l) => l.createdAt),
  { id: 'payer', header: 'Payer', cell: ({ row }) => row.original.payerName ?? row.original.payerEmail ?? '—' },
  { id: 'invoices', header: 'Invoices', cell: ({ row }) => invoicesOf(row.original) },
  amountColumn('amount', 'Amount', (l) => l.amountCents),
  { id: 'status', header: 'Status', cell: ({ row }) => <LinkStatusBadge status={row.original.status} /> },
  {
    id: 'when',
    header: 'Expires / paid',
    cell: ({ row }) => {
      const l = row.original;
      const text = l.paidAt
        ? `paid ${formatDateTime(l.paidAt)}`
        : `${l.status === 'expired' ? 'expired' : l.status === 'cancelled' ? 'was to expire' : 'expires'} ${formatDateTime(l.expiresAt)}`;
      return (
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {text}
        </Text>
      );
    },
  },
];

/**
 * The payment links the firm sent from Make A Payment: who, how much, when, and where each
 * stands. An accountant can send an outstanding one again (the payer gets a new address by
 * email; the old one stops working) or cancel it, after which the payer is told so.
 */
export function SentPaymentLinks() {
  const canChange = useCan('accountant');
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LinkStatus | undefined>(undefined);
  const [cancelling, setCancelling] = useState<PaymentLink | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const list = useQuery({
    queryKey: apiKey('GET /payment-links', { query: { status } }),
    queryFn: () => call('GET /payment-links', { query: { status } }),
    placeholderData: keepPreviousData,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: [resourceOf('GET /payment-links')] });
  const resend = useMutation({
    // A key per click: the click is sent once, even when the request is repeated.
    mutationFn: (link: PaymentLink) =>
      callOnce('POST /payment-links/:id/resend', crypto.randomUUID(), { params: { id: link.id }, body: {} }),
    onSuccess: (sent, link) =>
      setOutcome({
        ok: true,
        text: `The link for ${formatUsd(link.amountCents)} is sent again to ${sent.to}, with a new address; the earlier one no longer works.`,
      }),
    onError: (error) => setOutcome({ ok: false, text: errorText(error) }),
    onSettled: refresh,
  });
  const cancel = useMutation({
    mutationFn: (link: PaymentLink) => call('POST /payment-links/:id/cancel', { params: { id: link.id }, body: {} }),
    onSuccess: (link) =>
      setOutcome({
        ok: true,
        text: `The link for ${formatUsd(link.amountCents)} to ${payerOf(link)} is cancelled; it can no longer be paid.`,
      }),
    onError: (error) => setOutcome({ ok: false, text: errorText(error) }),
    onSettled: async () => {
      setCancelling(null);
      await refresh();
    },
  });
  const columns = useMemo<ColumnDef<PaymentLink>[]>(
    () =>
      canChange
        ? [
            ...COLUMNS,
            {
              id: 'actions',
              header: 'Actions',
              cell: ({ row }) => {
                const link = row.original;
                if (link.status !== 'outstanding') return null;
                const name = `${payerOf(link)} ${formatUsd(link.amountCents)}`;
                return (
                  <Group gap={4} wrap="nowrap">
                    {link.payerEmail && (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        aria-label={`Resend payment link to ${name}`}
                        loading={resend.isPending && resend.variables.id === link.id}
                        onClick={() => resend.mutate(link)}
                      >
                        Resend
                      </Button>
                    )}
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Cancel payment link to ${name}`}
                      onClick={() => setCancelling(link)}
                    >
                      Cancel…
                    </Button>
                  </Group>
                );
              },
            },
          ]
        : COLUMNS,
    [canChange, resend],
  );
  const items = list.data?.items ?? [];

  return (
    <Stack gap="sm" component="section" aria-labelledby="sent-payment-links">
      <Title order={3} size="h4" id="sent-payment-links">
        Sent payment links
      </Title>
      <SegmentedControl
        aria-label="Show payment links"
        w="fit-content"
        size="xs"
        value={status ?? ALL}
        onChange={(v) => setStatus(FILTERS.find((f) => f === v))}
        data={[ALL, ...FILTERS].map((f) => ({ value: f, label: titleCase(f) }))}
      />
      <OutcomeAlert outcome={outcome} onDismiss={() => setOutcome(null)} />
      {list.isPending ? (
        <LoadingState label="Loading payment links" />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>{status ? `No ${status} payment link.` : 'No payment link sent yet.'}</EmptyState>
      ) : (
        <DataTable
          label="Sent payment links"
          data={items}
          columns={columns}
          getRowId={(l) => l.id}
          describeRow={(l) => `${payerOf(l)} ${formatUsd(l.amountCents)}`}
          focusableScroll
        />
      )}
      <Modal opened={cancelling !== null} onClose={() => setCancelling(null)} title="Cancel payment link" centered>
        <Text>
          {cancelling !== null &&
            `Cancel the link for ${formatUsd(cancelling.amountCents)} sent to ${payerOf(cancelling)}? They can no longer pay it, and are told the firm cancelled it. This cannot be undone.`}
        </Text>
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={() => setCancelling(null)}>
            Keep it
          </Button>
          <Button
            color="red"
            loading={cancel.isPending}
            onClick={() => cancelling !== null && cancel.mutate(cancelling)}
          >
            Cancel link
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}
