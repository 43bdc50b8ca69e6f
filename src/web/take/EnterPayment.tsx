import { Alert, Button, Grid, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { call } from '../api/call.ts';
import type { Payment } from '../api/types.ts';
import { amountLabel, requiredAmount } from '../common/amount.ts';
import { PaymentMethodFields } from '../common/PaymentMethodFields.tsx';
import { EMPTY_PAYMENT_METHOD, tokenForAttempts, type PaymentMethodDraft } from '../common/paymentMethod.ts';
import { useRefreshAll } from '../postings/queries.ts';
import { navigate, SCREEN_PATHS } from '../router.ts';
import { AmountAndAccount, OPERATING, type DepositChoice } from './AccountChoice.tsx';
import { ClientMatterFields, clientMatterBody, type ClientMatter } from './ClientMatterFields.tsx';
import { namedPayerBody, NO_PAYER, PayerFields, type Payer } from './PayerFields.tsx';
import { PayError } from './PayError.tsx';
import { Panel } from './Panel.tsx';
import { PaymentApproved } from './PaymentApproved.tsx';
import { SubmitRow } from './SubmitRow.tsx';

interface Reference extends ClientMatter {
  invoices: string;
}

/** The optional reference as the API takes it: invoice numbers split on commas, blanks left out. */
function referenceBody(reference: Reference) {
  const invoiceNumbers = reference.invoices
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return {
    ...(invoiceNumbers.length > 0 ? { invoiceNumbers } : {}),
    ...clientMatterBody(reference),
  };
}

/**
 * Enter Payment, the virtual terminal: staff key in a card or bank account the payer gave
 * them (over the phone, at the desk). Origin enter_payment: Payment Manager only, no
 * posting record, because the firm enters these in its MMS by hand (SPEC §3.2).
 */
export function EnterPayment() {
  const [done, setDone] = useState<Payment | null>(null);
  const [round, setRound] = useState(0);
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Enter Payment
      </Title>
      <Alert color="blue" icon={<IconInfoCircle aria-hidden />} p="xs" maw={900}>
        A payment entered here is listed in the Payment Manager only. It makes no posting record: enter it in your MMS
        by hand.
      </Alert>
      {done ? (
        <Panel maw={760}>
          <PaymentApproved payment={done} />
          <Group>
            <Button onClick={() => navigate(SCREEN_PATHS.payments)}>Open Payment Manager</Button>
            <Button
              variant="default"
              onClick={() => {
                setDone(null);
                setRound((r) => r + 1);
              }}
            >
              Enter another payment
            </Button>
          </Group>
        </Panel>
      ) : (
        <EnterForm key={round} onDone={setDone} />
      )}
    </Stack>
  );
}

function EnterForm({ onDone }: { onDone: (payment: Payment) => void }) {
  const refreshAll = useRefreshAll();
  const [payer, setPayer] = useState<Payer>(NO_PAYER);
  const [amount, setAmount] = useState('');
  const [deposit, setDeposit] = useState<DepositChoice>(OPERATING);
  const [reference, setReference] = useState<Reference>({ invoices: '', client: '', matter: '' });
  const [method, setMethod] = useState<PaymentMethodDraft>(EMPTY_PAYMENT_METHOD);
  const parsed = requiredAmount(amount);
  const [tokenFor] = useState(() => tokenForAttempts());
  const enter = useMutation({
    mutationFn: async () => {
      if (parsed.cents === undefined) throw new Error(parsed.error);
      const request = { ...namedPayerBody(payer), amountCents: parsed.cents, ...deposit, ...referenceBody(reference) };
      const { token } = await tokenFor(method, request);
      return call('POST /enter-payment', { body: { token, ...request } });
    },
    onSuccess: async (answer) => {
      onDone(answer.payment);
      await refreshAll();
    },
  });
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    enter.mutate();
  };
  const problem = !payer.name.trim() ? "Enter the payer's name." : (parsed.error ?? null);
  const busy = enter.isPending;
  return (
    <form onSubmit={submit} aria-label="Enter Payment">
      <Grid gutter="md" align="flex-start">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Panel title="Payment">
            <PayerFields value={payer} onChange={setPayer} nameRequired disabled={busy} />
            <AmountAndAccount
              amount={amount}
              onAmount={setAmount}
              problem={parsed.error}
              deposit={deposit}
              onDeposit={setDeposit}
              disabled={busy}
            />
            <Title order={3} size="h5" mt="xs">
              Reference{' '}
              <Text span size="xs" c="dimmed" fw={400}>
                (optional)
              </Text>
            </Title>
            <TextInput
              label="Invoice number(s)"
              description="Separate several with commas"
              value={reference.invoices}
              onChange={(e) => setReference({ ...reference, invoices: e.currentTarget.value })}
              disabled={busy}
            />
            <ClientMatterFields
              value={reference}
              onChange={(patch) => setReference({ ...reference, ...patch })}
              disabled={busy}
            />
          </Panel>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Panel title="Card or bank account">
            <PaymentMethodFields value={method} onChange={setMethod} disabled={busy} />
            {enter.error && <PayError error={enter.error} />}
            <SubmitRow problem={problem} busy={busy}>
              Charge {amountLabel(amount, 'payment')}
            </SubmitRow>
          </Panel>
        </Grid.Col>
      </Grid>
    </form>
  );
}
