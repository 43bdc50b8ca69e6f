import './print.css';
import { Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconPrinter } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { apiKey, call } from '../api/call.ts';
import type { DepositStatement } from '../api/types.ts';
import { AppLink } from '../common/AppLink.tsx';
import { ACCOUNT_LABELS, formatMonth, formatUsd } from '../common/format.ts';
import { EmptyState, ErrorState, LoadingState } from '../common/States.tsx';
import { queryParam, replaceQuery } from '../router.ts';
import { useMe } from '../session.ts';
import { MonthPicker } from './MonthPicker.tsx';
import { depositsPath, monthOf } from './paths.ts';

type Figures = DepositStatement['totals'];

const FIGURE = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap', textAlign: 'right' } as const;
const COLUMNS: { key: keyof Figures; header: string; money: boolean }[] = [
  { key: 'payoutCount', header: 'Payouts', money: false },
  { key: 'paymentCount', header: 'Payments', money: false },
  { key: 'volumeCents', header: 'Volume', money: true },
  { key: 'refundsCents', header: 'Refunds', money: true },
  { key: 'chargebacksCents', header: 'Chargebacks', money: true },
  { key: 'feesCents', header: 'Fees', money: true },
  { key: 'netCents', header: 'Net', money: true },
];

function FigureCells({ figures }: { figures: Figures }) {
  return COLUMNS.map((c) => (
    <Table.Td key={c.key} style={FIGURE}>
      {c.money ? formatUsd(figures[c.key]) : figures[c.key]}
    </Table.Td>
  ));
}

function StatementTable({ statement }: { statement: DepositStatement }) {
  return (
    // Wider than a phone and with nothing in it to focus: the box itself takes Tab, so the arrow keys scroll it.
    <Table.ScrollContainer
      minWidth={720}
      type="native"
      tabIndex={0}
      role="region"
      aria-label={`Deposits statement, ${formatMonth(statement.month)}, scrolls sideways`}
    >
      <Table
        className="statement-table"
        aria-label={`Deposits statement, ${formatMonth(statement.month)}`}
        withTableBorder
        verticalSpacing={6}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Deposit account</Table.Th>
            {COLUMNS.map((c) => (
              <Table.Th key={c.key} style={FIGURE}>
                {c.header}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {statement.accounts.map((a) => (
            <Table.Tr key={a.depositAccountId}>
              <Table.Td>
                <Text size="sm">{a.name}</Text>
                {/* Its kind, unless its name says it already. */}
                {a.name !== ACCOUNT_LABELS[a.kind] && (
                  <Text size="xs" c="dimmed">
                    {ACCOUNT_LABELS[a.kind]}
                  </Text>
                )}
              </Table.Td>
              <FigureCells figures={a} />
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr fw={700} style={{ borderTop: '2px solid var(--mantine-color-gray-6)' }}>
            <Table.Th scope="row">Total</Table.Th>
            <FigureCells figures={statement.totals} />
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}

/** A month's deposits per account (SPEC §5.3), as a page to print or save as PDF. */
export function Statement() {
  const me = useMe();
  const thisMonth = monthOf(null, me.firm.timeZone);
  const [month, setMonth] = useState(() => monthOf(queryParam('month'), me.firm.timeZone));
  const statement = useQuery({
    queryKey: apiKey('GET /deposits/statement', { query: { month } }),
    queryFn: () => call('GET /deposits/statement', { query: { month } }),
  });
  const chooseMonth = (next: string) => {
    setMonth(next);
    replaceQuery({ month: next });
  };

  return (
    <Stack gap="md" maw={1000}>
      <Group justify="space-between" align="flex-end" className="no-print">
        <Stack gap="xs">
          <AppLink to={depositsPath(month)} size="sm" w="fit-content">
            <Group gap={4} wrap="nowrap">
              <IconArrowLeft size={14} aria-hidden />
              Deposits
            </Group>
          </AppLink>
          <MonthPicker value={month} latest={thisMonth} onChange={chooseMonth} />
        </Stack>
        <Button
          size="xs"
          leftSection={<IconPrinter size={14} aria-hidden />}
          onClick={() => window.print()}
          disabled={!statement.data}
        >
          Print
        </Button>
      </Group>
      <Stack gap={2}>
        <Text fw={600}>{statement.data?.firmName ?? me.firm.name}</Text>
        <Title order={2} size="h3">
          Deposits statement, {formatMonth(month)}
        </Title>
        <Text size="sm" c="dimmed">
          The processor&apos;s payouts paid in {formatMonth(month)}, per deposit account: payments paid out (volume),
          less refunds, chargebacks and eCheck returns, and processing fees.
        </Text>
      </Stack>
      {statement.isPending ? (
        <LoadingState label="Loading the statement" />
      ) : statement.error ? (
        <ErrorState error={statement.error} onRetry={() => void statement.refetch()} />
      ) : statement.data.accounts.length === 0 ? (
        <EmptyState>No payout was paid in {formatMonth(month)}.</EmptyState>
      ) : (
        <StatementTable statement={statement.data} />
      )}
    </Stack>
  );
}
