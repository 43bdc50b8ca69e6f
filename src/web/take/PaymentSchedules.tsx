import { Badge, Button, Grid, Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import { useMutation } from '@tanstack/react-query';
import { useId, useState, type SubmitEvent } from 'react';
import { calendarDateIn } from '../../domain/dates.ts';
import { apiKey, call } from '../api/call.ts';
import type { PaymentSchedule } from '../api/types.ts';
import { requiredAmount } from '../common/amount.ts';
import { accountColumn, amountColumn, clientMatterColumn, dateColumn, methodColumn } from '../common/columns.tsx';
import { formatDate, formatUsd } from '../common/format.ts';
import { ListScreen, type CancelAction, type CreateFormProps } from '../common/ListScreen.tsx';
import { PaymentMethodFields } from '../common/PaymentMethodFields.tsx';
import { EMPTY_PAYMENT_METHOD, tokenize, type PaymentMethodDraft } from '../common/paymentMethod.ts';
import { useMe } from '../session.ts';
import { AmountAndAccount, OPERATING, type DepositChoice } from './AccountChoice.tsx';
import { ClientMatterFields, clientMatterBody, type ClientMatter } from './ClientMatterFields.tsx';
import { NO_PAYER, PayerFields, payerBody, type Payer } from './PayerFields.tsx';
import { PayError } from './PayError.tsx';
import { SubmitRow } from './SubmitRow.tsx';
import { InvoiceSearch } from '../postings/InvoiceSearch.tsx';
import { completedText, END_OPTIONS, endBody, endText, paymentsText, upcomingRuns, type EndDraft } from './schedule.ts';

type Interval = PaymentSchedule['interval'];
const INTERVAL_WORDS: Record<Interval, string> = { weekly: 'Weekly', monthly: 'Monthly' };
// The status in full, not cut to "COMP…" where the column is narrow.
const NO_CLIP = { root: { overflow: 'visible' }, label: { overflow: 'visible' } };
const RUN_COLORS: Record<string, string> = { paid: 'green', declined: 'orange', missed: 'red', claimed: 'gray' };
const STATUS_COLORS: Record<PaymentSchedule['status'], string> = {
  active: 'green',
  completed: 'blue',
  cancelled: 'gray',
};

function Dimmed({ children }: { children: string }) {
  return (
    <Text size="xs" c="dimmed">
      {children}
    </Text>
  );
}

const COLUMNS: ColumnDef<PaymentSchedule>[] = [
  { id: 'payer', header: 'Payer', cell: ({ row }) => row.original.payerName },
  {
    id: 'description',
    header: 'Description',
    // Wide enough that a sentence takes two or three lines, not five.
    cell: ({ row }) => (
      <Text size="xs" miw={140}>
        {row.original.description}
      </Text>
    ),
  },
  clientMatterColumn(),
  amountColumn('amount', 'Amount', (s) => s.amountCents, 'xs'),
  accountColumn(),
  methodColumn('xs'),
  { id: 'interval', header: 'Frequency', cell: ({ row }) => INTERVAL_WORDS[row.original.interval] },
  dateColumn('next', 'Next charge', (s) => s.nextRunOn, 'xs'),
  {
    id: 'payments',
    header: 'Payments',
    cell: ({ row }) => (
      <Stack gap={0}>
        <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
          {paymentsText(row.original)}
        </Text>
        <Text size="xs" c="dimmed">
          Ends: {endText(row.original, formatDate)}
        </Text>
      </Stack>
    ),
  },
  {
    id: 'last',
    header: 'Last run',
    cell: ({ row }) => {
      const [last] = row.original.runs;
      if (!last) return <Dimmed>none yet</Dimmed>;
      return (
        <Text size="xs" style={{ whiteSpace: 'nowrap' }} title={last.declineReason ?? undefined}>
          {formatDate(last.runOn)}{' '}
          <Text span size="xs" c={`${RUN_COLORS[last.status] ?? 'gray'}.8`} fw={600}>
            {last.status}
          </Text>
          {last.attempts > 1 && last.retryOn ? ` (retried ${formatDate(last.retryOn)})` : ''}
        </Text>
      );
    },
  },
  {
    id: 'failure',
    header: 'Last failure',
    cell: ({ row }) => {
      const { lastFailure, retryOn } = row.original;
      if (!lastFailure) return <Dimmed>none</Dimmed>;
      return (
        <Stack gap={0}>
          <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
            {formatDate(lastFailure.on)}:{' '}
            <Text span size="xs" c="red.8">
              {lastFailure.reason}
            </Text>
          </Text>
          {retryOn && (
            <Text size="xs" c="orange.8" style={{ whiteSpace: 'nowrap' }}>
              Retry on {formatDate(retryOn)}
            </Text>
          )}
        </Stack>
      );
    },
  },
  {
    id: 'status',
    header: 'Status',
    cell: ({ row }) => {
      const { status, completedReason } = row.original;
      return (
        <Stack gap={2} align="flex-start">
          <Badge size="sm" variant="light" color={STATUS_COLORS[status]} styles={NO_CLIP}>
            {status}
          </Badge>
          {completedReason && (
            <Text size="xs" c="dimmed">
              {completedText(completedReason)}
            </Text>
          )}
        </Stack>
      );
    },
  },
];

const CANCEL: CancelAction<PaymentSchedule> = {
  title: 'Cancel payment schedule',
  confirm: 'Cancel schedule',
  can: (s) => s.status === 'active',
  buttonLabel: (s) => `Cancel payment schedule of ${s.payerName}, ${s.description}`,
  question: (s) =>
    `Stop charging ${s.payerName} ${formatUsd(s.amountCents)} ${s.interval}? Payments already made stay as they are. This cannot be undone.`,
  run: (s) => call('POST /payment-schedules/:id/cancel', { params: { id: s.id }, body: {} }),
  done: (s) => `The schedule for ${s.payerName} is cancelled; it will not charge again.`,
};

/** Payment Schedules: recurring charges the server makes on each run date (origin payment_schedule, Payment Manager only). */
export function PaymentSchedules() {
  return (
    <ListScreen<PaymentSchedule>
      title="Payment Schedules"
      description="Recurring charges to a card or bank account, made on each run date. Their payments are in the Payment Manager only."
      resource="payment-schedules"
      list={() => ({ queryKey: apiKey('GET /payment-schedules'), queryFn: () => call('GET /payment-schedules') })}
      noun="payment schedules"
      empty={() => 'No payment schedule yet.'}
      columns={COLUMNS}
      getRowId={(s) => s.id}
      describeRow={(s) => `${s.payerName} ${formatUsd(s.amountCents)}`}
      create={{
        label: 'New payment schedule',
        title: 'New payment schedule',
        size: 900,
        form: (props) => <NewScheduleForm {...props} />,
      }}
      cancel={CANCEL}
      dense
    />
  );
}

interface Draft extends ClientMatter, EndDraft {
  payer: Payer;
  amount: string;
  deposit: DepositChoice;
  description: string;
  interval: Interval;
  startOn: string;
}

function emptyDraft(today: string): Draft {
  return {
    payer: NO_PAYER,
    amount: '',
    deposit: OPERATING,
    description: '',
    client: '',
    matter: '',
    interval: 'monthly',
    startOn: today,
    end: 'never',
    count: '',
    endsOn: '',
    invoiceNumber: null,
  };
}

function NewScheduleForm({ close, announce, refresh }: CreateFormProps) {
  // The server counts days in the firm's time zone: the first charge can be no earlier than today there.
  const timeZone = useMe().firm.timeZone;
  const today = calendarDateIn(new Date(), timeZone);
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(today));
  const [method, setMethod] = useState<PaymentMethodDraft>(EMPTY_PAYMENT_METHOD);
  const amount = requiredAmount(draft.amount);
  const ending = endBody(draft, draft.startOn, draft.deposit.account);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const create = useMutation({
    mutationFn: async () => {
      if (amount.cents === undefined) throw new Error(amount.error);
      if ('problem' in ending) throw new Error(ending.problem);
      const { token } = await tokenize(method);
      return call('POST /payment-schedules', {
        body: {
          token,
          ...payerBody(draft.payer),
          // Required here: the form is not sent without it.
          payerName: draft.payer.name.trim(),
          amountCents: amount.cents,
          ...draft.deposit,
          description: draft.description.trim(),
          ...clientMatterBody(draft),
          interval: draft.interval,
          startOn: draft.startOn,
          ...ending.body,
        },
      });
    },
    onSuccess: async (s) => {
      close();
      announce({
        ok: true,
        text: `Schedule made: ${formatUsd(s.amountCents)} ${s.interval} from ${s.payerName}, first charge on ${s.nextRunOn ? formatDate(s.nextRunOn) : '—'}.`,
      });
      await refresh();
    },
  });
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const problem = !draft.payer.name.trim()
    ? "Enter the payer's name."
    : (amount.error ??
      (!draft.description.trim()
        ? 'Say what the charges are for.'
        : !draft.startOn || draft.startOn < today
          ? 'The first charge must be today or later.'
          : 'problem' in ending
            ? ending.problem
            : null));
  const runs = upcomingRuns(draft.startOn, draft.interval);
  const busy = create.isPending;
  return (
    <form onSubmit={submit} aria-label="New payment schedule">
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Stack gap="sm">
            <PayerFields value={draft.payer} onChange={(payer) => set({ payer })} nameRequired disabled={busy} />
            <AmountAndAccount
              label="Amount each time ($)"
              amount={draft.amount}
              onAmount={(next) => set({ amount: next })}
              problem={amount.error}
              deposit={draft.deposit}
              onDeposit={(deposit) => set({ deposit })}
              disabled={busy}
            />
            <TextInput
              label="Description"
              description="What the charges are for"
              required
              maxLength={500}
              value={draft.description}
              onChange={(e) => set({ description: e.currentTarget.value })}
              disabled={busy}
            />
            <ClientMatterFields value={draft} onChange={set} description="Optional" disabled={busy} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Stack gap="sm">
            <Group grow align="flex-start">
              <Stack gap={4}>
                <Text size="sm" fw={500} id="schedule-frequency">
                  Frequency
                </Text>
                <SegmentedControl
                  aria-labelledby="schedule-frequency"
                  value={draft.interval}
                  onChange={(v) => set({ interval: v === 'weekly' ? 'weekly' : 'monthly' })}
                  data={[
                    { value: 'weekly', label: 'Weekly' },
                    { value: 'monthly', label: 'Monthly' },
                  ]}
                  disabled={busy}
                />
              </Stack>
              <TextInput
                label="First charge on"
                description={`Days are counted in ${timeZone}`}
                type="date"
                required
                min={today}
                value={draft.startOn}
                onChange={(e) => set({ startOn: e.currentTarget.value })}
                disabled={busy}
              />
            </Group>
            {runs.length > 0 && (
              <Text size="xs" c="dimmed" data-testid="upcoming-runs">
                Charges on {runs.map(formatDate).join(', ')}, and so on
                {draft.interval === 'monthly' && Number(draft.startOn.slice(8, 10)) > 28
                  ? ' (the last day of shorter months)'
                  : ''}
                .
              </Text>
            )}
            <EndFields value={draft} onChange={set} startOn={draft.startOn} disabled={busy} />
            <PaymentMethodFields value={method} onChange={setMethod} disabled={busy} />
            {create.error && <PayError error={create.error} />}
          </Stack>
        </Grid.Col>
      </Grid>
      <SubmitRow
        problem={problem}
        hint="Nothing is charged until the first charge date."
        busy={busy}
        onCancel={close}
        mt="md"
      >
        Create schedule
      </SubmitRow>
    </form>
  );
}

/** How the schedule ends: never, after a count of payments, on a date, or once an invoice is paid. */
function EndFields({
  value,
  onChange,
  startOn,
  disabled,
}: {
  value: EndDraft;
  onChange: (patch: Partial<EndDraft>) => void;
  startOn: string;
  disabled: boolean;
}) {
  const id = useId();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={id}>
        Ends
      </Text>
      <SegmentedControl
        aria-labelledby={id}
        value={value.end}
        onChange={(v) => onChange({ end: END_OPTIONS.find((o) => o.value === v)?.value ?? 'never' })}
        data={END_OPTIONS}
        disabled={disabled}
        fullWidth
      />
      {value.end === 'count' && (
        <TextInput
          label="Number of payments"
          description="Declined charges do not count: the schedule runs until this many are paid"
          type="number"
          min={1}
          max={1000}
          required
          value={value.count}
          onChange={(e) => onChange({ count: e.currentTarget.value })}
          disabled={disabled}
        />
      )}
      {value.end === 'date' && (
        <TextInput
          label="Last charge on or before"
          type="date"
          required
          min={startOn}
          value={value.endsOn}
          onChange={(e) => onChange({ endsOn: e.currentTarget.value })}
          disabled={disabled}
        />
      )}
      {value.end === 'invoice' &&
        (value.invoiceNumber ? (
          <Group gap="xs">
            <Text size="sm">
              Until invoice <b>{value.invoiceNumber}</b> is paid; no charge is more than its open balance.
            </Text>
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => onChange({ invoiceNumber: null })}
              disabled={disabled}
            >
              Change invoice
            </Button>
          </Group>
        ) : (
          <InvoiceSearch
            openOnly
            picked={[]}
            onPick={(invoice) => onChange({ invoiceNumber: invoice.invoiceNumber })}
          />
        ))}
    </Stack>
  );
}
