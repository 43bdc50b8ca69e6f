import { Alert, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
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
      <Table variant="vertical" layout="fixed" withTableBorder aria-label="Payment">
        <Table.Tbody>
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
        </Table.Tbody>
      </Table>
      <div>
        <Title order={3} size="h5" mb="xs">
          {facts.linesTitle}
        </Title>
        <Table aria-label={facts.linesTitle} withTableBorder>
          <Table.Tbody>
            {facts.lines.map((line, index) => (
              <Table.Tr key={`${line.label}-${index}`}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {line.label}
                  </Text>
                  {line.detail && (
                    <Text size="xs" c="dimmed">
                      {line.detail}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {formatUsd(line.amountCents)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
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
    <Table.Tr>
      <Table.Th w={{ base: 120, sm: 190 }} scope="row">
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
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
    <Table aria-label="Amounts" withTableBorder={false} verticalSpacing={4}>
      <Table.Tbody>
        {showSurcharge && (
          <>
            <TotalRow label="Payment" cents={amounts.receiptCents} />
            <TotalRow label={surchargeLabel} cents={amounts.surchargeCents} />
          </>
        )}
        <TotalRow label={totalLabel} cents={amounts.totalCents} strong />
      </Table.Tbody>
    </Table>
  );
}

function TotalRow({ label, cents, strong }: { label: string; cents: number; strong?: boolean }) {
  return (
    <Table.Tr style={strong ? { borderTop: '2px solid var(--mantine-color-gray-4)' } : undefined}>
      <Table.Th scope="row" fw={strong ? 700 : 400}>
        {label}
      </Table.Th>
      <Table.Td ta="right" fw={strong ? 700 : 400} style={{ whiteSpace: 'nowrap' }}>
        {formatUsd(cents)}
      </Table.Td>
    </Table.Tr>
  );
}
