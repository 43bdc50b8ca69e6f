import { ActionIcon, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import type { Invoice } from '../api/types.ts';
import { formatUsd } from '../common/format.ts';
import { draftLine, splitEvenly, type DraftCheck, type DraftLine } from './allocationDraft.ts';
import { InvoiceSearch } from './InvoiceSearch.tsx';

interface Props {
  account: 'operating' | 'trust';
  receiptCents: number;
  lines: DraftLine[];
  onChange: (lines: DraftLine[]) => void;
  check: DraftCheck;
}

/** Reallocate Payment: which invoices (or, for trust money, which matters) the receipt goes to, and how much each. */
export function AllocationEditor({ account, receiptCents, lines, onChange, check }: Props) {
  const update = (key: number, patch: Partial<DraftLine>) => onChange(lines.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  const add = (invoice?: Invoice) =>
    onChange([
      ...lines,
      draftLine({
        invoiceNumber: invoice?.invoiceNumber ?? null,
        clientNumber: invoice?.clientNumber ?? null,
        matterNumber: invoice?.matterNumber ?? null,
        // A new line takes what is left; on an invoice, no more than it still has available.
        amountCents: Math.max(0, invoice ? Math.min(check.leftCents, invoice.availableCents) : check.leftCents),
      }),
    ]);
  return (
    <Stack gap="xs" component="section" aria-labelledby="reallocate-title">
      <Title order={3} size="h5" id="reallocate-title">
        Reallocate Payment
      </Title>
      {account === 'operating' && <InvoiceSearch onPick={add} picked={lines.map((l) => l.invoiceNumber)} />}
      <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={4} aria-label="Allocations">
        <Table.Thead>
          <Table.Tr>
            {account === 'operating' ? <Table.Th>Invoice</Table.Th> : (<><Table.Th>Client</Table.Th><Table.Th>Matter</Table.Th></>)}
            <Table.Th>Amount ($)</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lines.map((line, i) => (
            <Table.Tr key={line.key}>
              {account === 'operating' ? (
                <Table.Td>
                  <Text size="sm" fw={600}>{line.invoiceNumber || '—'}</Text>
                </Table.Td>
              ) : (
                <>
                  <Table.Td><TextInput size="xs" aria-label={`Client number, line ${i + 1}`} value={line.clientNumber} onChange={(e) => update(line.key, { clientNumber: e.currentTarget.value })} /></Table.Td>
                  <Table.Td><TextInput size="xs" aria-label={`Matter number, line ${i + 1}`} value={line.matterNumber} onChange={(e) => update(line.key, { matterNumber: e.currentTarget.value })} /></Table.Td>
                </>
              )}
              <Table.Td>
                <TextInput size="xs" w={120} inputMode="decimal" aria-label={`Amount for ${line.invoiceNumber || `line ${i + 1}`}`} value={line.amount} onChange={(e) => update(line.key, { amount: e.currentTarget.value })} />
              </Table.Td>
              <Table.Td>
                <ActionIcon variant="subtle" color="red" aria-label={`Remove line ${line.invoiceNumber || i + 1}`} onClick={() => onChange(lines.filter((l) => l.key !== line.key))}>
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="space-between">
        <Group gap="xs">
          {account === 'trust' && <Button size="compact-xs" variant="default" onClick={() => add()}>Add line</Button>}
          <Button size="compact-xs" variant="default" disabled={lines.length < 2} onClick={() => onChange(splitEvenly(lines, receiptCents))}>
            Split evenly
          </Button>
        </Group>
        <Text size="sm" fw={600} c={check.leftCents === 0 ? 'green.8' : 'red.8'} aria-live="polite" data-testid="left-to-allocate">
          Left to allocate: {formatUsd(check.leftCents)}
        </Text>
      </Group>
    </Stack>
  );
}
