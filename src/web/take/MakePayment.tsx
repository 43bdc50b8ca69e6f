import { Alert, Button, Grid, Group, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { formatUsd } from '../../domain/money.ts';
import { call, resourceOf } from '../api/call.ts';
import type { AllocationView, ConnectPaymentResult, CreatedPaymentLink, Invoice } from '../api/types.ts';
import { requiredAmount } from '../common/amount.ts';
import { clientMatter, formatDate } from '../common/format.ts';
import { PaymentMethodFields } from '../common/PaymentMethodFields.tsx';
import { EMPTY_PAYMENT_METHOD, tokenForAttempts, type PaymentMethodDraft } from '../common/paymentMethod.ts';
import { AllocationEditor } from '../postings/AllocationEditor.tsx';
import type { DraftLine } from '../postings/allocationDraft.ts';
import { useRefreshAll } from '../postings/queries.ts';
import { navigate, SCREEN_PATHS } from '../router.ts';
import type { Outcome } from '../common/States.tsx';
import { LinkReady } from './LinkReady.tsx';
import { autoApplyLines, checkPaymentLines, invoiceAllocations } from './makePayment.ts';
import { namedPayerBody, NO_PAYER, PayerFields, type Payer } from './PayerFields.tsx';
import { PayError } from './PayError.tsx';
import { Panel } from './Panel.tsx';
import { PaymentApproved } from './PaymentApproved.tsx';
import { SentPaymentLinks } from './SentPaymentLinks.tsx';
import { SubmitRow } from './SubmitRow.tsx';

type How = 'now' | 'link';
type Done = { kind: 'paid'; answer: ConnectPaymentResult } | { kind: 'link'; answer: CreatedPaymentLink };

const POSTING_WORDS: Record<string, string> = {
  pending: 'is pending in Manage Postings, ready to post to the MMS',
  incomplete: 'is incomplete in Manage Postings and needs an accountant to place it',
};

/**
 * Make A Payment (Connect invoice payments): choose open invoices, split the payment by
 * hand or auto-apply an amount oldest first, then charge a card or bank account now, or
 * send the payer a link that pays the same split within 24 hours. Origin connect: the
 * payment gets a posting record with these allocations.
 */
export function MakePayment() {
  const [done, setDone] = useState<Done | null>(null);
  // A new form each time, so nothing typed for one payer is left for the next.
  const [round, setRound] = useState(0);
  const again = () => {
    setDone(null);
    setRound((r) => r + 1);
  };
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Make A Payment
      </Title>
      {done ? <Confirmation done={done} onAgain={again} /> : <PaymentForm key={round} onDone={setDone} />}
      <SentPaymentLinks />
    </Stack>
  );
}

function PaymentForm({ onDone }: { onDone: (done: Done) => void }) {
  const refreshAll = useRefreshAll();
  const queryClient = useQueryClient();
  const [lines, setLines] = useState<DraftLine[]>([]);
  const [invoices, setInvoices] = useState<ReadonlyMap<string, Invoice>>(new Map());
  const [autoAmount, setAutoAmount] = useState('');
  const [autoNote, setAutoNote] = useState<Outcome | null>(null);
  const [payer, setPayer] = useState<Payer>(NO_PAYER);
  const [how, setHow] = useState<How>('now');
  const [method, setMethod] = useState<PaymentMethodDraft>(EMPTY_PAYMENT_METHOD);
  const check = checkPaymentLines(lines);

  const afterChange = async () => {
    await refreshAll();
    await queryClient.invalidateQueries({ queryKey: [resourceOf('GET /invoices')] });
    await queryClient.invalidateQueries({ queryKey: [resourceOf('GET /payment-links')] });
  };
  const [tokenFor] = useState(() => tokenForAttempts());
  const pay = useMutation({
    mutationFn: async () => {
      const request = { ...namedPayerBody(payer), allocations: invoiceAllocations(check.allocations) };
      const { token } = await tokenFor(method, request);
      return call('POST /connect-payments', { body: { token, ...request } });
    },
    onSuccess: async (answer) => {
      onDone({ kind: 'paid', answer });
      await afterChange();
    },
  });
  const link = useMutation({
    mutationFn: () =>
      call('POST /payment-links', {
        body: { ...namedPayerBody(payer), allocations: invoiceAllocations(check.allocations) },
      }),
    onSuccess: async (answer) => {
      onDone({ kind: 'link', answer });
      await afterChange();
    },
  });
  const busy = pay.isPending || link.isPending;
  const error = how === 'now' ? pay.error : link.error;

  const autoApply = () => {
    const amount = requiredAmount(autoAmount);
    if (amount.error !== undefined) {
      setAutoNote({ ok: false, text: amount.error });
      return;
    }
    const applied = autoApplyLines(lines, invoices, amount.cents);
    if (applied.error !== undefined) {
      setAutoNote({ ok: false, text: applied.error });
      return;
    }
    setLines(applied.lines);
    setAutoNote({
      ok: true,
      text: `Applied ${formatUsd(amount.cents)} oldest first.${applied.unplaced.length > 0 ? ` Nothing was left for ${applied.unplaced.join(', ')}, so ${applied.unplaced.length === 1 ? 'it was' : 'they were'} taken off.` : ''}`,
    });
  };
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (how === 'now') pay.mutate();
    else link.mutate();
  };
  const problem = check.problems[0] ?? (how === 'now' && !payer.name.trim() ? "Enter the payer's name." : null);
  const lineNote = (line: DraftLine) => {
    const invoice = invoices.get(line.invoiceNumber);
    return invoice
      ? `${invoice.clientName} (${clientMatter(invoice.clientNumber, invoice.matterNumber)}) · ${formatDate(invoice.invoiceDate)} · ${formatUsd(invoice.availableCents)} open`
      : null;
  };

  return (
    <form onSubmit={submit} aria-label="Make A Payment">
      <Grid gutter="md" align="flex-start">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Panel>
            <AllocationEditor
              title="1. Invoices to pay"
              account="operating"
              receiptCents={null}
              lines={lines}
              onChange={(next) => {
                setLines(next);
                setAutoNote(null);
              }}
              check={check}
              openOnly
              onPick={(invoice) => setInvoices((known) => new Map(known).set(invoice.invoiceNumber, invoice))}
              lineNote={lineNote}
            />
            {lines.length === 0 && (
              <Text size="sm" c="dimmed">
                Search, then add each invoice the payment is for. Each starts at what it has open; change any amount by
                hand.
              </Text>
            )}
            <Group gap="xs" align="flex-end">
              <TextInput
                label="Or auto-apply an amount"
                description="Oldest invoice first, each up to what it has open"
                placeholder="0.00"
                inputMode="decimal"
                w={260}
                size="xs"
                value={autoAmount}
                onChange={(e) => setAutoAmount(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    autoApply();
                  }
                }}
              />
              <Button size="xs" variant="light" onClick={autoApply} disabled={lines.length === 0}>
                Auto-apply
              </Button>
            </Group>
            {autoNote && (
              <Text size="xs" c={autoNote.ok ? 'green.8' : 'red.8'} role={autoNote.ok ? 'status' : 'alert'}>
                {autoNote.text}
              </Text>
            )}
            <Text size="xs" c="dimmed">
              Invoice payments go to the operating account.
            </Text>
          </Panel>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Panel title="2. Payer">
            <PayerFields value={payer} onChange={setPayer} nameRequired={how === 'now'} disabled={busy} />
            <Title order={3} size="h5">
              3. How the client pays
            </Title>
            <SegmentedControl
              aria-label="How the client pays"
              value={how}
              onChange={(value) => setHow(value === 'link' ? 'link' : 'now')}
              data={[
                { value: 'now', label: 'Pay now' },
                { value: 'link', label: 'Send payment link' },
              ]}
              disabled={busy}
            />
            {how === 'now' ? (
              <PaymentMethodFields value={method} onChange={setMethod} disabled={busy} />
            ) : (
              <Text size="sm">
                The client gets a link that pays exactly these invoices and amounts, by card or eCheck, within 24 hours.
                Nothing is charged until they pay.
              </Text>
            )}
            {error && <PayError error={error} />}
            <SubmitRow problem={problem} busy={busy}>
              {how === 'now' ? `Pay ${formatUsd(check.totalCents)}` : 'Create payment link'}
            </SubmitRow>
          </Panel>
        </Grid.Col>
      </Grid>
    </form>
  );
}

function Allocations({ allocations }: { allocations: AllocationView[] }) {
  return (
    <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing="xs" w="auto" aria-label="Applied to">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Invoice</Table.Th>
          <Table.Th>Client/Matter</Table.Th>
          <Table.Th ta="right">Amount</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {allocations.map((a) => (
          <Table.Tr key={`${a.invoiceNumber ?? ''}|${a.clientNumber ?? ''}|${a.matterNumber ?? ''}`}>
            <Table.Td>{a.invoiceNumber ?? '—'}</Table.Td>
            <Table.Td>{clientMatter(a.clientNumber, a.matterNumber)}</Table.Td>
            <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
              {formatUsd(a.amountCents)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Confirmation({ done, onAgain }: { done: Done; onAgain: () => void }) {
  const again = (
    <Button variant="default" onClick={onAgain}>
      Make another payment
    </Button>
  );
  if (done.kind === 'link') {
    const link = done.answer;
    return (
      <Panel maw={760}>
        <LinkReady
          kind="Payment link"
          path={link.path}
          expiresAt={link.expiresAt}
          link={{ kind: 'payment', id: link.id, token: link.token, payerEmail: link.payerEmail }}
        >
          Send this address to {link.payerName ?? 'the client'}. It pays {formatUsd(link.amountCents)} on the invoices
          below, once, within 24 hours.
        </LinkReady>
        <Allocations allocations={link.allocations} />
        <Group>{again}</Group>
      </Panel>
    );
  }
  const { payment, postingRecord } = done.answer;
  return (
    <Panel maw={760}>
      <PaymentApproved payment={payment} />
      <Text size="sm" data-testid="posting-record-status">
        {postingRecord
          ? `Its posting record ${POSTING_WORDS[postingRecord.status] ?? `is ${postingRecord.status}`}, applied as below.`
          : 'It made no posting record.'}
      </Text>
      {postingRecord && <Allocations allocations={postingRecord.allocations} />}
      {postingRecord?.status === 'incomplete' && (
        <Alert color="yellow">Open it in Manage Postings to fix the allocation.</Alert>
      )}
      <Group>
        <Button onClick={() => navigate(SCREEN_PATHS.postings)}>Open Manage Postings</Button>
        {again}
      </Group>
    </Panel>
  );
}
