import { ActionIcon, Button, Group, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { Fragment, useId, useState, type ReactNode } from 'react';
import type { Invoice, Matter } from '../api/types.ts';
import { formatUsd } from '../common/format.ts';
import { draftLine, splitEvenly, type DraftCheck, type DraftLine } from './allocationDraft.ts';
import { InvoiceSearch } from './InvoiceSearch.tsx';
import { matterKey, MatterSearch } from './MatterSearch.tsx';

interface Props {
  account: 'operating' | 'trust';
  /** The receipt the lines must add up to; null when the lines are the payment (Make A Payment). */
  receiptCents: number | null;
  lines: DraftLine[];
  onChange: (lines: DraftLine[]) => void;
  check: DraftCheck;
  title?: string;
  /** Told of each invoice added, for a caller that needs its date and balance. */
  onPick?: (invoice: Invoice) => void;
  /** Only open invoices can be found and added. */
  openOnly?: boolean;
  /** A word on a line's invoice (client, date, what is open), shown under its number. */
  lineNote?: (line: DraftLine) => string | null;
  /** One-click lines offered under the title (Reallocate Payment's suggested match). */
  offers?: ReactNode;
}

/** A trust line's client and matter, typed in their own cells. */
const MATTER_FIELDS = [
  ['clientNumber', 'Client number'],
  ['matterNumber', 'Matter number'],
] as const;

/** Reallocate Payment: which invoices (or, for trust money, which matters) the receipt goes to, and how much each. */
export function AllocationEditor({
  account,
  receiptCents,
  lines,
  onChange,
  check,
  title = 'Reallocate Payment',
  onPick,
  openOnly,
  lineNote,
  offers,
}: Props) {
  const titleId = useId();
  const update = (key: number, patch: Partial<DraftLine>) =>
    onChange(lines.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  // The matters picked from the search, to name each line's client and matter in words.
  const [found, setFound] = useState<ReadonlyMap<string, Matter>>(new Map());
  const addMatter = (matter: Matter) => {
    setFound((known) => new Map(known).set(matterKey(matter.clientNumber, matter.matterNumber), matter));
    onChange([
      ...lines,
      draftLine({
        clientNumber: matter.clientNumber,
        matterNumber: matter.matterNumber,
        amountCents: Math.max(0, check.leftCents),
      }),
    ]);
  };
  const matterNote = (line: DraftLine) => {
    const matter = found.get(matterKey(line.clientNumber, line.matterNumber));
    return matter ? `${matter.clientName} · ${matter.description || 'no description'}` : null;
  };
  const add = (invoice?: Invoice) => {
    if (invoice) onPick?.(invoice);
    // A new line takes what is left (with no receipt, what the invoice still has); on an
    // invoice, no more than it still has available.
    const room = receiptCents === null ? Number.MAX_SAFE_INTEGER : check.leftCents;
    onChange([
      ...lines,
      draftLine({
        invoiceNumber: invoice?.invoiceNumber ?? null,
        clientNumber: invoice?.clientNumber ?? null,
        matterNumber: invoice?.matterNumber ?? null,
        amountCents: Math.max(
          0,
          invoice ? Math.min(room, invoice.availableCents) : receiptCents === null ? 0 : check.leftCents,
        ),
      }),
    ]);
  };
  return (
    <Stack gap="xs" component="section" aria-labelledby={titleId}>
      <Title order={3} size="h5" id={titleId}>
        {title}
      </Title>
      {offers}
      {account === 'operating' ? (
        <InvoiceSearch onPick={add} picked={lines.map((l) => l.invoiceNumber)} openOnly={openOnly} />
      ) : (
        <MatterSearch onPick={addMatter} picked={lines.map((l) => matterKey(l.clientNumber, l.matterNumber))} />
      )}
      <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={4} aria-label="Allocations">
        <Table.Thead>
          <Table.Tr>
            {account === 'operating' ? (
              <Table.Th>Invoice</Table.Th>
            ) : (
              <>
                <Table.Th>Client</Table.Th>
                <Table.Th>Matter</Table.Th>
              </>
            )}
            <Table.Th>Amount ($)</Table.Th>
            <Table.Th>
              <VisuallyHidden>Remove</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lines.map((line, i) => {
            const note = account === 'operating' ? (lineNote?.(line) ?? null) : matterNote(line);
            return (
              <Fragment key={line.key}>
                <Table.Tr>
                  {account === 'operating' ? (
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {line.invoiceNumber || '—'}
                      </Text>
                      {note && (
                        <Text size="xs" c="dimmed">
                          {note}
                        </Text>
                      )}
                    </Table.Td>
                  ) : (
                    MATTER_FIELDS.map(([field, label]) => (
                      <Table.Td key={field}>
                        <TextInput
                          size="xs"
                          aria-label={`${label}, line ${i + 1}`}
                          value={line[field]}
                          onChange={(e) => update(line.key, { [field]: e.currentTarget.value })}
                        />
                      </Table.Td>
                    ))
                  )}
                  <Table.Td>
                    <TextInput
                      size="xs"
                      w={120}
                      inputMode="decimal"
                      aria-label={`Amount for ${line.invoiceNumber || `line ${i + 1}`}`}
                      value={line.amount}
                      onChange={(e) => update(line.key, { amount: e.currentTarget.value })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Remove line ${line.invoiceNumber || i + 1}`}
                      onClick={() => onChange(lines.filter((l) => l.key !== line.key))}
                    >
                      <IconTrash size={16} aria-hidden />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
                {/* A trust line's client and matter in words, on a row of its own so the inputs stay aligned. */}
                {account === 'trust' && note && (
                  <Table.Tr>
                    <Table.Td colSpan={4} pt={0}>
                      <Text size="xs" c="dimmed">
                        {note}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
      <Group justify="space-between">
        <Group gap="xs">
          {account === 'trust' && (
            <Button size="compact-xs" variant="default" onClick={() => add()}>
              Add line
            </Button>
          )}
          {receiptCents !== null && (
            <Button
              size="compact-xs"
              variant="default"
              disabled={lines.length < 2}
              onClick={() => onChange(splitEvenly(lines, receiptCents))}
            >
              Split evenly
            </Button>
          )}
        </Group>
        {receiptCents === null ? (
          <Text size="sm" fw={600} aria-live="polite" data-testid="payment-total">
            Total: {formatUsd(check.allocatedCents)}
          </Text>
        ) : (
          <Text
            size="sm"
            fw={600}
            c={check.leftCents === 0 ? 'green.8' : 'red.8'}
            aria-live="polite"
            data-testid="left-to-allocate"
          >
            Left to allocate: {formatUsd(check.leftCents)}
          </Text>
        )}
      </Group>
    </Stack>
  );
}
