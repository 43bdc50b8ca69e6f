import { Badge, Button, Group, Modal, NumberInput, SegmentedControl, Stack, Text, TextInput, Textarea, Title, VisuallyHidden } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { api, withQuery } from '../api/client.ts';
import type { CreatedQuickLink, LinkStatus, QuickLink } from '../api/types.ts';
import { requiredAmount } from '../common/amount.ts';
import { DataTable } from '../common/DataTable.tsx';
import { errorText } from '../common/errors.ts';
import { formatDate, formatDateTime, formatUsd } from '../common/format.ts';
import { EmptyState, ErrorState, LoadingState, OutcomeAlert, type Outcome } from '../common/States.tsx';
import { useCan } from '../session.ts';
import { AccountChoice, type Account } from './AccountChoice.tsx';
import { LinkReady } from './LinkReady.tsx';
import { NO_PAYER, PayerFields, payerBody, type Payer } from './PayerFields.tsx';
import { PayError } from './PayError.tsx';

const STATUS_COLORS: Record<LinkStatus, string> = { outstanding: 'blue', paid: 'green', cancelled: 'gray', expired: 'orange' };
const FILTERS = ['all', 'outstanding', 'paid', 'cancelled', 'expired'] as const;
type Filter = (typeof FILTERS)[number];
const NO_CLIP = { root: { overflow: 'visible' }, label: { overflow: 'visible' } };

export function LinkStatusBadge({ status }: { status: LinkStatus }) {
  return <Badge size="sm" variant="light" color={STATUS_COLORS[status]} styles={NO_CLIP}>{status}</Badge>;
}

/** Quick Links (Send For Payment): links for an amount and a description, their state, and cancelling one still outstanding. */
export function QuickLinks() {
  const canCreate = useCan('accountant');
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<Filter>('all');
  const [creating, setCreating] = useState(false);
  const [cancelling, setCancelling] = useState<QuickLink | null>(null);
  const [result, setResult] = useState<Outcome | null>(null);
  const list = useQuery({
    queryKey: ['quick-links', filter],
    queryFn: () => api<{ items: QuickLink[] }>('GET', withQuery('/quick-links', { status: filter === 'all' ? undefined : filter })),
    placeholderData: keepPreviousData,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['quick-links'] });
  const cancel = useMutation({
    mutationFn: (link: QuickLink) => api<QuickLink>('POST', `/quick-links/${link.id}/cancel`, {}),
    onSuccess: (link) => setResult({ ok: true, text: `The link “${link.description}” is cancelled; it can no longer be paid.` }),
    onError: (error) => setResult({ ok: false, text: errorText(error) }),
    onSettled: async () => {
      setCancelling(null);
      await refresh();
    },
  });
  const columns = useMemo(() => quickLinkColumns(canCreate ? setCancelling : null), [canCreate]);
  const items = list.data?.items ?? [];

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2} size="h3">Quick Links</Title>
          <Text size="sm" c="dimmed">Send For Payment: a link for an amount and a description. Payments made through one are in the Payment Manager only.</Text>
        </Stack>
        {canCreate && <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>New quick link</Button>}
      </Group>
      <SegmentedControl
        aria-label="Show links"
        w="fit-content"
        size="xs"
        value={filter}
        onChange={(v) => setFilter(FILTERS.find((f) => f === v) ?? 'all')}
        data={FILTERS.map((f) => ({ value: f, label: f[0]!.toUpperCase() + f.slice(1) }))}
      />
      <OutcomeAlert outcome={result} onDismiss={() => setResult(null)} />
      {list.isPending ? (
        <LoadingState label="Loading quick links" />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>{filter === 'all' ? 'No quick link yet.' : `No ${filter} quick link.`}</EmptyState>
      ) : (
        <DataTable label="Quick links" data={items} columns={columns} getRowId={(l) => l.id} describeRow={(l) => `${l.description} ${formatUsd(l.amountCents)}`} />
      )}
      {canCreate && <NewQuickLinkDialog opened={creating} onClose={() => setCreating(false)} onCreated={refresh} />}
      <Modal opened={cancelling !== null} onClose={() => setCancelling(null)} title="Cancel quick link" centered>
        <Text>
          Cancel the link for {cancelling && formatUsd(cancelling.amountCents)}, “{cancelling?.description}”? Whoever has it can no longer pay it. This cannot be undone.
        </Text>
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={() => setCancelling(null)}>Keep it</Button>
          <Button color="red" loading={cancel.isPending} onClick={() => cancelling && cancel.mutate(cancelling)}>Cancel link</Button>
        </Group>
      </Modal>
    </Stack>
  );
}

function quickLinkColumns(onCancel: ((link: QuickLink) => void) | null): ColumnDef<QuickLink>[] {
  const columns: ColumnDef<QuickLink>[] = [
    { id: 'created', header: 'Created', cell: ({ row }) => <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDate(row.original.createdAt)}</Text> },
    { id: 'description', header: 'Description', cell: ({ row }) => row.original.description },
    { id: 'payer', header: 'Payer', cell: ({ row }) => row.original.payerName ?? row.original.payerEmail ?? '—' },
    { id: 'amount', header: 'Amount', cell: ({ row }) => <Text size="sm" ta="right" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{formatUsd(row.original.amountCents)}</Text> },
    { id: 'account', header: 'Account', cell: ({ row }) => (row.original.account === 'trust' ? 'Trust' : 'Operating') },
    { id: 'status', header: 'Status', cell: ({ row }) => <LinkStatusBadge status={row.original.status} /> },
    {
      id: 'when',
      header: 'Expires / paid',
      cell: ({ row }) => {
        const l = row.original;
        const text = l.paidAt ? `paid ${formatDateTime(l.paidAt)}` : l.cancelledAt ? `cancelled ${formatDateTime(l.cancelledAt)}` : `${l.status === 'expired' ? 'expired' : 'expires'} ${formatDateTime(l.expiresAt)}`;
        return <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{text}</Text>;
      },
    },
    { id: 'by', header: 'Created by', cell: ({ row }) => <Text size="sm" c="dimmed">{row.original.createdBy}</Text> },
  ];
  if (onCancel) {
    columns.push({
      id: 'cancel',
      header: () => <VisuallyHidden>Cancel</VisuallyHidden>,
      cell: ({ row }) =>
        row.original.status === 'outstanding' ? (
          <Button size="compact-xs" variant="subtle" color="red" onClick={() => onCancel(row.original)} aria-label={`Cancel quick link ${row.original.description}`}>
            Cancel…
          </Button>
        ) : null,
    });
  }
  return columns;
}

interface Draft {
  amount: string;
  description: string;
  account: Account;
  payer: Payer;
  days: number;
}

const EMPTY: Draft = { amount: '', description: '', account: 'operating', payer: NO_PAYER, days: 30 };

function NewQuickLinkDialog({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: () => Promise<unknown> }) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [made, setMade] = useState<CreatedQuickLink | null>(null);
  const amount = requiredAmount(draft.amount);
  const create = useMutation({
    mutationFn: () => {
      if (amount.cents === undefined) throw new Error(amount.error);
      return api<CreatedQuickLink>('POST', '/quick-links', {
        amountCents: amount.cents,
        description: draft.description.trim(),
        account: draft.account,
        expiresInDays: draft.days,
        ...payerBody(draft.payer),
      });
    },
    onSuccess: async (link) => {
      setMade(link);
      await onCreated();
    },
  });
  const close = () => {
    onClose();
    setDraft(EMPTY);
    setMade(null);
    create.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const problem = amount.error ?? (draft.description.trim() ? null : 'Say what the payment is for.');
  return (
    <Modal opened={opened} onClose={close} title="New quick link" centered size="lg">
      {made ? (
        <Stack gap="sm">
          <LinkReady kind="Quick link" path={made.path} expiresAt={made.expiresAt}>
            Send this address to {made.payerName ?? 'the payer'}. It pays {formatUsd(made.amountCents)} for “{made.description}” into the {made.account} account.
          </LinkReady>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} aria-label="New quick link">
          <Stack gap="sm">
            <Group grow align="flex-start">
              <TextInput
                label="Amount ($)"
                placeholder="0.00"
                inputMode="decimal"
                required
                data-autofocus
                value={draft.amount}
                onChange={(e) => setDraft({ ...draft, amount: e.currentTarget.value })}
                error={draft.amount.trim() && amount.error ? amount.error : undefined}
              />
              <AccountChoice value={draft.account} onChange={(account) => setDraft({ ...draft, account })} />
            </Group>
            <Textarea
              label="Description"
              description="The payer sees this on the payment page"
              required
              maxLength={500}
              autosize
              minRows={2}
              value={draft.description}
              onChange={(e) => setDraft({ ...draft, description: e.currentTarget.value })}
            />
            <PayerFields value={draft.payer} onChange={(payer) => setDraft({ ...draft, payer })} nameRequired={false} />
            <NumberInput
              label="Expires after (days)"
              min={1}
              max={90}
              allowDecimal={false}
              clampBehavior="strict"
              w={200}
              value={draft.days}
              onChange={(v) => setDraft({ ...draft, days: typeof v === 'number' ? v : 30 })}
            />
            {create.error && <PayError error={create.error} />}
            <Group justify="space-between" wrap="nowrap">
              <Text size="xs" c="dimmed">{problem ?? ''}</Text>
              <Group gap="xs" wrap="nowrap">
                <Button variant="default" onClick={close}>Cancel</Button>
                <Button type="submit" disabled={problem !== null} loading={create.isPending}>Create link</Button>
              </Group>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
