import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { call } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import { LoadingState } from '../common/States.tsx';
import { centsToDollars } from '../common/amount.ts';
import { percentText, planInvoicePayment, planTrustPayment, type InvoiceChoice } from './amounts.ts';
import { appliedBps, surchargeNote, useFundingSource } from './fundingSource.ts';
import { EMPTY_PAYMENT_METHOD, type PaymentMethodDraft } from '../common/paymentMethod.ts';
import { InvoicePicker } from './InvoicePicker.tsx';
import { LookupForm } from './LookupForm.tsx';
import { PayerForm } from './PayerForm.tsx';
import { loadProblem } from './problems.ts';
import { LoadFailed, NotAvailable, PublicFrame } from './PublicFrame.tsx';
import { Receipt, Totals } from './Receipt.tsx';
import type { LookupQuery, LookupResult, PageReceipt, PublicPage } from './types.ts';
import { useLoad } from './useAsync.ts';

/** /pay/{slug}: a firm's payment page, open to anyone with the address. */
export function PagePay({ slug }: { slug: string }) {
  const page = useLoad(slug, () => call('GET /pay/:slug', { params: { slug } }));
  const [receipt, setReceipt] = useState<PageReceipt | null>(null);

  if (page.status === 'pending') {
    return (
      <PublicFrame title="Online payment">
        <LoadingState />
      </PublicFrame>
    );
  }
  if (page.status === 'failed') {
    if (page.error instanceof ApiError && page.error.status === 404) return <NotAvailable />;
    return <LoadFailed problem={loadProblem(page.error)} onRetry={page.reload} />;
  }
  if (!page.data.enabled) return <NotAvailable />;
  return (
    <PublicFrame title={page.data.firmName} subtitle={page.data.pageName}>
      {receipt ? (
        <Receipt
          facts={{
            ...receipt,
            paidFor: receipt.pageName,
            linesTitle: receipt.account === 'trust' ? 'Held in trust' : 'Invoices paid',
            lines: receipt.allocations.map((a) =>
              a.invoiceNumber
                ? {
                    label: `Invoice ${a.invoiceNumber}`,
                    detail: `Matter ${a.matterNumber ?? ''}`,
                    amountCents: a.amountCents,
                  }
                : {
                    label: `Matter ${a.matterNumber ?? ''}`,
                    detail: `Client ${a.clientNumber ?? ''}`,
                    amountCents: a.amountCents,
                  },
            ),
          }}
        />
      ) : (
        <PageForm page={page.data} onPaid={setReceipt} />
      )}
    </PublicFrame>
  );
}

function initialChoices(query: LookupQuery, result: LookupResult): InvoiceChoice[] {
  // The invoice the payer looked up is the one they most likely came to pay: tick it, in full.
  return result.invoices.map((invoice) => ({
    invoiceNumber: invoice.invoiceNumber,
    balanceCents: invoice.balanceCents,
    picked: invoice.invoiceNumber === query.invoiceNumber,
    amount: centsToDollars(invoice.balanceCents),
  }));
}

function PageForm({ page, onPaid }: { page: PublicPage; onPaid: (receipt: PageReceipt) => void }) {
  const [found, setFound] = useState<{ query: LookupQuery; result: LookupResult } | null>(null);
  const [choices, setChoices] = useState<InvoiceChoice[]>([]);
  const [trustAmount, setTrustAmount] = useState('');
  const [draft, setDraft] = useState<PaymentMethodDraft>(EMPTY_PAYMENT_METHOD);
  const { source, checking } = useFundingSource(draft);

  if (!found) {
    return (
      <LookupForm
        slug={page.slug}
        account={page.account}
        onFound={(query, result) => {
          setFound({ query, result });
          setChoices(initialChoices(query, result));
          setTrustAmount('');
        }}
      />
    );
  }

  const trust = page.account === 'trust';
  // The server charges the page's rate on a credit card only: the totals show what this card will be charged.
  const bps = appliedBps(page.surchargeBps, source);
  const invoicePlan = planInvoicePayment(choices, bps);
  const trustPlan = planTrustPayment(trustAmount, bps);
  const note = surchargeNote(page.surchargeBps, source);
  const plan = trust ? trustPlan : invoicePlan;
  // A trust amount not yet valid blocks the form, so nothing is sent without one.
  const request = trust
    ? trustPlan.amountCents === null
      ? {}
      : { amountCents: trustPlan.amountCents }
    : { allocations: invoicePlan.allocations };
  const nothingDue = !trust && found.result.invoices.length === 0;
  const trustProblem = trustAmount.trim() ? trustPlan.blocked : null;

  return (
    <Stack gap="lg">
      <ClientFound result={found.result} onChange={() => setFound(null)} />
      {nothingDue ? (
        <Text role="status">
          There are no open invoices for this client: nothing is due. Contact the firm if you think this is wrong.
        </Text>
      ) : (
        <>
          <Stack gap="sm">
            <Title order={2} size="h4">
              {trust ? 'Amount to deposit in trust' : 'Choose what to pay'}
            </Title>
            {trust ? (
              <TextInput
                label="Amount"
                description={`Held in trust for matter ${found.result.matterNumber ?? ''}`}
                leftSection="$"
                inputMode="decimal"
                autoComplete="off"
                maw={{ base: '100%', xs: 260 }}
                value={trustAmount}
                onChange={(e) => setTrustAmount(e.currentTarget.value)}
                error={trustProblem}
              />
            ) : (
              <InvoicePicker
                invoices={found.result.invoices}
                choices={choices}
                problems={invoicePlan.problems}
                onChange={setChoices}
              />
            )}
            {note && (
              <Text size="sm" c="dimmed" role="status" aria-label="Surcharge">
                {note}
              </Text>
            )}
            <Totals
              amounts={plan}
              totalLabel="Total to be charged"
              showSurcharge={bps > 0}
              surchargeLabel={`Surcharge (${percentText(bps)})`}
            />
          </Stack>
          <PayerForm
            totalCents={plan.totalCents}
            blocked={plan.blocked ?? (checking ? 'Checking the card number: a moment.' : null)}
            onDraftChange={setDraft}
            requestKey={JSON.stringify([page.slug, found.query, request])}
            send={(token, payer) =>
              call('POST /pay/:slug/payments', {
                params: { slug: page.slug },
                body: { ...found.query, ...payer, token: token.token, ...request },
              })
            }
            onPaid={onPaid}
          />
        </>
      )}
    </Stack>
  );
}

function ClientFound({ result, onChange }: { result: LookupResult; onChange: () => void }) {
  return (
    <Paper withBorder p="sm" radius="sm" bg="gray.0">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <div>
          <Text size="xs" c="dimmed">
            Paying for
          </Text>
          <Text fw={600}>
            {result.clientName} (client {result.clientNumber})
          </Text>
          {result.matterNumber && (
            <Text size="sm">
              Matter {result.matterNumber}
              {result.matterDescription ? `: ${result.matterDescription}` : ''}
            </Text>
          )}
        </div>
        <Button variant="subtle" size="compact-sm" onClick={onChange}>
          Look up another client
        </Button>
      </Group>
    </Paper>
  );
}
