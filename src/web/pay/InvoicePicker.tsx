import { Checkbox, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { formatDate, formatUsd } from '../common/format.ts';
import type { InvoiceChoice } from './amounts.ts';
import type { OpenInvoice } from './types.ts';

interface Props {
  invoices: OpenInvoice[];
  choices: InvoiceChoice[];
  problems: Record<string, string>;
  onChange: (next: InvoiceChoice[]) => void;
}

/** The client's open invoices: tick one or several, and pay each in full or in part. */
export function InvoicePicker({ invoices, choices, problems, onChange }: Props) {
  const update = (invoiceNumber: string, patch: Partial<InvoiceChoice>) =>
    onChange(choices.map((c) => (c.invoiceNumber === invoiceNumber ? { ...c, ...patch } : c)));
  return (
    <Stack gap="xs" role="group" aria-label="Open invoices">
      {invoices.map((invoice) => {
        const choice = choices.find((c) => c.invoiceNumber === invoice.invoiceNumber);
        if (!choice) return null;
        const picked = choice.picked;
        return (
          <Paper
            key={invoice.invoiceNumber}
            withBorder
            p="sm"
            radius="sm"
            bg={picked ? 'indigo.0' : undefined}
            style={picked ? { borderColor: 'var(--mantine-color-indigo-3)' } : undefined}
          >
            <Group justify="space-between" wrap="nowrap" align="flex-start" gap="sm">
              <Checkbox
                label={`Invoice ${invoice.invoiceNumber}`}
                description={`Matter ${invoice.matterNumber} · dated ${formatDate(invoice.invoiceDate)}`}
                checked={picked}
                onChange={(e) => update(invoice.invoiceNumber, { picked: e.currentTarget.checked })}
                styles={{ label: { fontWeight: 600 } }}
              />
              <div style={{ textAlign: 'right', flexShrink: 0 }}>
                <Text size="xs" c="dimmed">
                  Due
                </Text>
                <Text fw={600}>{formatUsd(invoice.balanceCents)}</Text>
              </div>
            </Group>
            {picked && (
              <TextInput
                mt="sm"
                ml={{ base: 0, xs: 32 }}
                maw={{ base: '100%', xs: 260 }}
                label={`Amount for ${invoice.invoiceNumber}`}
                description="The full amount due, or less to pay part of it"
                leftSection="$"
                inputMode="decimal"
                autoComplete="off"
                value={choice.amount}
                onChange={(e) => update(invoice.invoiceNumber, { amount: e.currentTarget.value })}
                error={problems[invoice.invoiceNumber]}
              />
            )}
          </Paper>
        );
      })}
    </Stack>
  );
}
