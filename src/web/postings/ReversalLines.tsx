import { Stack, Table, Text, Title } from '@mantine/core';
import { useId } from 'react';
import type { RecordDetail } from '../api/types.ts';
import { clientMatter, formatUsd } from '../common/format.ts';

/** A reversal's lines, read-only: it takes back its original's lines as they were, so they cannot change. */
export function ReversalLines({ record }: { record: RecordDetail }) {
  const titleId = useId();
  return (
    <Stack gap="xs" component="section" aria-labelledby={titleId}>
      <Title order={3} size="h5" id={titleId}>
        Allocations
      </Title>
      <Text size="xs" c="dimmed">
        A reversal takes back what its original allocated, line by line; its allocations cannot change.
      </Text>
      <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={4} aria-label="Allocations">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{record.account === 'operating' ? 'Invoice' : 'Client/Matter'}</Table.Th>
            {record.account === 'operating' && <Table.Th>Client/Matter</Table.Th>}
            <Table.Th ta="right">Amount</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {record.allocations.map((line, i) => (
            <Table.Tr key={i}>
              {record.account === 'operating' && (
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {line.invoiceNumber ?? '—'}
                  </Text>
                </Table.Td>
              )}
              <Table.Td>
                <Text size="sm">{clientMatter(line.clientNumber, line.matterNumber)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {formatUsd(line.amountCents)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
