import { Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { apiKey, call } from '../api/call.ts';
import type { Invoice } from '../api/types.ts';
import { errorText } from '../common/errors.ts';
import { formatDate, formatUsd } from '../common/format.ts';

interface Props {
  onPick: (invoice: Invoice) => void;
  picked: readonly string[];
  /** Only open invoices (paying them); a reallocation may also need to find a closed one. */
  openOnly?: boolean | undefined;
}

/** Search the firm's synced invoices by number, client or matter, as the accountant types. */
export function InvoiceSearch({ onPick, picked, openOnly = false }: Props) {
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 250);
  const status = openOnly ? 'open' : undefined;
  const found = useQuery({
    queryKey: apiKey('GET /invoices', { query: { q, status, limit: 8 } }),
    queryFn: () => call('GET /invoices', { query: { q, status, limit: 8 } }),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });
  const items = q ? (found.data?.items ?? []) : [];
  return (
    <Stack gap={4}>
      <TextInput
        label="Search invoices"
        description="By invoice number, client or matter"
        leftSection={<IconSearch size={14} aria-hidden />}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        size="xs"
      />
      {found.error && (
        <Text size="xs" c="red">
          {errorText(found.error)}
        </Text>
      )}
      {q && !found.isFetching && items.length === 0 && !found.error && (
        <Text size="xs" c="dimmed">
          No {openOnly ? 'open ' : ''}invoice matches “{q}”.
        </Text>
      )}
      {items.length > 0 && (
        <Paper withBorder p={4} role="list" aria-label="Matching invoices">
          {items.map((invoice) => (
            <Group key={invoice.invoiceNumber} justify="space-between" wrap="nowrap" role="listitem" px={4} py={2}>
              <Text size="xs">
                <b>{invoice.invoiceNumber}</b> · {invoice.clientName} ({invoice.clientNumber}/{invoice.matterNumber}) ·{' '}
                {formatDate(invoice.invoiceDate)} · available {formatUsd(invoice.availableCents)}
                {invoice.status !== 'open' ? ` · ${invoice.status}` : ''}
              </Text>
              <Button
                size="compact-xs"
                variant="light"
                leftSection={<IconPlus size={12} aria-hidden />}
                // Paying an invoice with nothing left open could only be refused as exceeds_balance.
                disabled={picked.includes(invoice.invoiceNumber) || (openOnly && invoice.availableCents <= 0)}
                onClick={() => onPick(invoice)}
                aria-label={`Add invoice ${invoice.invoiceNumber}`}
              >
                Add
              </Button>
            </Group>
          ))}
        </Paper>
      )}
    </Stack>
  );
}
