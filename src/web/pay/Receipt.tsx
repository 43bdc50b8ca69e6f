import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconPrinter } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { formatDateTime, formatUsd } from '../common/format.ts';
import type { Priced } from './amounts.ts';
import { ACCOUNT_TEXT, endSentence, paidWithText } from './words.ts';

export interface ReceiptLine {
  label: string;
  detail?: string | null;
  amountCents: number;
}

export interface ReceiptFacts {
  firmName: string;
  /** What was paid: the page's name, "Invoice payment", a quick link's description. */
  paidFor: string;
  payerName: string;
  account: 'operating' | 'trust';
  method: 'card' | 'echeck';
  brand: string;
  last4: string;
  /** The amounts are the server's, exactly as charged: receipt plus surcharge is the total. */
  receiptCents: number;
  surchargeCents: number;
  amountCents: number;
  linesTitle: string;
  lines: ReceiptLine[];
  processorId: string;
  processedAt: string;
}

/** The payer's receipt, printable as it stands. */
export function Receipt({ facts }: { facts: ReceiptFacts }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // The Pay button was at the foot of a long form: start the receipt at its top, and
    // tell a screen reader where the page went.
    window.scrollTo(0, 0);
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <Stack gap="lg" component="section" aria-labelledby="receipt-title">
      <Alert color="green" icon={<IconCircleCheck aria-hidden />} title="Payment received" role="status">
        Thank you, {endSentence(facts.payerName)} {facts.firmName} has received your payment of{' '}
        {formatUsd(facts.amountCents)}. Keep this receipt for your records.
      </Alert>
      <Title order={2} size="h3" id="receipt-title" ref={heading} tabIndex={-1} style={{ outline: 'none' }}>
        Receipt
      </Title>
      <table className="pb-pay-table" data-border data-variant="vertical" aria-label="Payment">
        <tbody>
          <Fact label="Paid to">{facts.firmName}</Fact>
          <Fact label="For">{facts.paidFor}</Fact>
          <Fact label="Paid by">{facts.payerName}</Fact>
          <Fact label="Paid with">{paidWithText(facts.method, facts.brand, facts.last4)}</Fact>
          <Fact label="Date">{formatDateTime(facts.processedAt)}</Fact>
          <Fact label="Confirmation number">
            <Text span ff="monospace" size="sm" style={{ wordBreak: 'break-all' }}>
              {facts.processorId}
            </Text>
          </Fact>
          <Fact label="Deposited to">{ACCOUNT_TEXT[facts.account]}</Fact>
        </tbody>
      </table>
      <div>
        <Title order={3} size="h5" mb="xs">
          {facts.linesTitle}
        </Title>
        <table className="pb-pay-table" data-border aria-label={facts.linesTitle}>
          <tbody>
            {facts.lines.map((line, index) => (
              <tr key={`${line.label}-${index}`}>
                <td>
                  <Text size="sm" fw={500}>
                    {line.label}
                  </Text>
                  {line.detail && (
                    <Text size="xs" c="dimmed">
                      {line.detail}
                    </Text>
                  )}
                </td>
                <td className="pb-amount">{formatUsd(line.amountCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Totals
        amounts={{
          receiptCents: facts.receiptCents,
          surchargeCents: facts.surchargeCents,
          totalCents: facts.amountCents,
        }}
        totalLabel="Total charged"
        showSurcharge={facts.surchargeCents > 0}
      />
      <Group className="pb-no-print">
        <Button variant="default" leftSection={<IconPrinter size={16} aria-hidden />} onClick={() => window.print()}>
          Print receipt
        </Button>
      </Group>
    </Stack>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{children}</td>
    </tr>
  );
}

interface TotalsProps {
  amounts: Priced;
  totalLabel: string;
  showSurcharge: boolean;
  /** "Surcharge (3%)" before paying; the receipt says only what was charged. */
  surchargeLabel?: string;
}

/** Payment, surcharge and total, one per row, the total in bold. */
export function Totals({ amounts, totalLabel, showSurcharge, surchargeLabel = 'Surcharge' }: TotalsProps) {
  return (
    <table className="pb-pay-table" data-tight aria-label="Amounts">
      <tbody>
        {showSurcharge && (
          <>
            <TotalRow label="Payment" cents={amounts.receiptCents} />
            <TotalRow label={surchargeLabel} cents={amounts.surchargeCents} />
          </>
        )}
        <TotalRow label={totalLabel} cents={amounts.totalCents} strong />
      </tbody>
    </table>
  );
}

function TotalRow({ label, cents, strong }: { label: string; cents: number; strong?: boolean }) {
  return (
    <tr className={strong ? 'pb-total' : undefined}>
      <th scope="row">{label}</th>
      <td className="pb-amount">{formatUsd(cents)}</td>
    </tr>
  );
}
