import { Button, Group, NumberInput, Stack, Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMutation } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { apiKey, call } from '../api/call.ts';
import type { CreatedQuickLink, QuickLink } from '../api/types.ts';
import { requiredAmount } from '../common/amount.ts';
import { accountColumn, amountColumn, dateColumn } from '../common/columns.tsx';
import { formatUsd } from '../common/format.ts';
import { LongText } from '../common/LongText.tsx';
import { ListScreen, type CancelAction, type CreateFormProps, type RowAction } from '../common/ListScreen.tsx';
import { AmountAndAccount, OPERATING, type DepositChoice } from './AccountChoice.tsx';
import { LinkReady } from './LinkReady.tsx';
import { linkStateColumns, resendAction } from './linkColumns.tsx';
import { NO_PAYER, PayerFields, payerBody, type Payer } from './PayerFields.tsx';
import { PayError } from './PayError.tsx';
import { SubmitRow } from './SubmitRow.tsx';

const FILTERS = ['outstanding', 'paid', 'cancelled', 'expired'] as const;
type Filter = (typeof FILTERS)[number];

const COLUMNS: ColumnDef<QuickLink>[] = [
  dateColumn('created', 'Created', (l) => l.createdAt),
  {
    id: 'description',
    header: 'Description',
    // Wide enough that a sentence takes two or three lines, not five.
    cell: ({ row }) => (
      <Text size="sm" miw={160}>
        {row.original.description}
      </Text>
    ),
  },
  { id: 'payer', header: 'Payer', cell: ({ row }) => row.original.payerName ?? row.original.payerEmail ?? '—' },
  amountColumn('amount', 'Amount', (l) => l.amountCents),
  accountColumn(),
  ...linkStateColumns<QuickLink>(),
  {
    id: 'by',
    header: 'Created by',
    cell: ({ row }) => (
      <Text size="sm" c="dimmed">
        {row.original.createdBy}
      </Text>
    ),
  },
];

const ACTIONS: RowAction<QuickLink>[] = [resendAction('quick', (link) => `Resend quick link ${link.description}`)];

const CANCEL: CancelAction<QuickLink> = {
  title: 'Cancel quick link',
  confirm: 'Cancel link',
  can: (link) => link.status === 'outstanding',
  buttonLabel: (link) => `Cancel quick link ${link.description}`,
  question: (link) =>
    `Cancel the link for ${formatUsd(link.amountCents)}, “${link.description}”? Whoever has it can no longer pay it. This cannot be undone.`,
  run: (link) => call('POST /quick-links/:id/cancel', { params: { id: link.id }, body: {} }),
  done: (link) => `The link “${link.description}” is cancelled; it can no longer be paid.`,
};

/**
 * Quick Links (Send For Payment): links for an amount and a description, their state, and
 * sending one still outstanding again (when it has the payer's email) or cancelling it.
 */
export function QuickLinks() {
  return (
    <ListScreen<QuickLink, Filter>
      title="Quick Links"
      description="Send For Payment: a link for an amount and a description. Payments made through one are in the Payment Manager only."
      resource="quick-links"
      list={(status) => ({
        queryKey: apiKey('GET /quick-links', { query: { status } }),
        queryFn: () => call('GET /quick-links', { query: { status } }),
      })}
      filter={{ label: 'Show links', options: FILTERS }}
      noun="quick links"
      empty={(status) => (status ? `No ${status} quick link.` : 'No quick link yet.')}
      columns={COLUMNS}
      getRowId={(l) => l.id}
      describeRow={(l) => `${l.description} ${formatUsd(l.amountCents)}`}
      create={{
        label: 'New quick link',
        title: 'New quick link',
        size: 'lg',
        form: (props) => <NewQuickLinkForm {...props} />,
      }}
      actions={ACTIONS}
      cancel={CANCEL}
    />
  );
}

interface Draft {
  amount: string;
  description: string;
  deposit: DepositChoice;
  payer: Payer;
  days: number;
}

const EMPTY: Draft = { amount: '', description: '', deposit: OPERATING, payer: NO_PAYER, days: 30 };

function NewQuickLinkForm({ close, refresh }: CreateFormProps) {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [made, setMade] = useState<CreatedQuickLink | null>(null);
  const amount = requiredAmount(draft.amount);
  const create = useMutation({
    mutationFn: () => {
      if (amount.cents === undefined) throw new Error(amount.error);
      return call('POST /quick-links', {
        body: {
          amountCents: amount.cents,
          description: draft.description.trim(),
          ...draft.deposit,
          expiresInDays: draft.days,
          ...payerBody(draft.payer),
        },
      });
    },
    onSuccess: async (link) => {
      setMade(link);
      await refresh();
    },
  });
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const problem = amount.error ?? (draft.description.trim() ? null : 'Say what the payment is for.');
  return made ? (
    <Stack gap="sm">
      <LinkReady
        kind="Quick link"
        path={made.path}
        expiresAt={made.expiresAt}
        link={{ kind: 'quick', id: made.id, token: made.token, payerEmail: made.payerEmail }}
      >
        Send this address to {made.payerName ?? 'the payer'}. It pays {formatUsd(made.amountCents)} for “
        {made.description}” into the {made.account} account.
      </LinkReady>
      <Group justify="flex-end">
        <Button onClick={close}>Done</Button>
      </Group>
    </Stack>
  ) : (
    <form onSubmit={submit} aria-label="New quick link">
      <Stack gap="sm">
        <AmountAndAccount
          amount={draft.amount}
          onAmount={(next) => setDraft({ ...draft, amount: next })}
          problem={amount.error}
          deposit={draft.deposit}
          onDeposit={(deposit) => setDraft({ ...draft, deposit })}
          autoFocus
        />
        <LongText
          label="Description"
          description="The payer sees this on the payment page"
          required
          value={draft.description}
          onChange={(description) => setDraft({ ...draft, description })}
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
        <SubmitRow problem={problem} busy={create.isPending} onCancel={close}>
          Create link
        </SubmitRow>
      </Stack>
    </form>
  );
}
