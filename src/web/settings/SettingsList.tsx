import { Button, Code, CopyButton, Group, Modal, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';

// The settings sections share one shape: a form that adds an item, a list of the items
// with what can be done to each, and (for a token, a signing secret, a password link)
// the one time a secret is shown.

/** One column of a settings list: its header and what each row shows in it. */
export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Codes and ids, in a fixed-width font. */
  mono?: boolean;
}

interface TableProps<T> {
  label: string;
  rows: readonly T[];
  rowKey: (row: T) => string;
  columns: readonly Column<T>[];
  /** What to say instead of an empty table; without it an empty list still shows its headers. */
  empty?: string;
}

export function SettingsTable<T>({ label, rows, rowKey, columns, empty }: TableProps<T>) {
  if (empty !== undefined && rows.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  }
  return (
    <Table aria-label={label} striped>
      <Table.Thead>
        <Table.Tr>
          {columns.map((column, index) => (
            <Table.Th key={index}>{column.header}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={rowKey(row)}>
            {columns.map((column, index) => (
              <Table.Td key={index} ff={column.mono ? 'monospace' : undefined}>
                {column.cell(row)}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

interface FormProps {
  label: string;
  submitLabel: string;
  pending: boolean;
  onSubmit: () => void;
  children: ReactNode;
}

/** The fields that add an item, in one row, and the button that sends them. */
export function NewItemForm({ label, submitLabel, pending, onSubmit, children }: FormProps) {
  return (
    <Group
      align="flex-end"
      gap="sm"
      component="form"
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
      <Button type="submit" loading={pending}>
        {submitLabel}
      </Button>
    </Group>
  );
}

interface ShownOnceProps {
  title: string;
  /** The secret; null while none is shown. */
  value: string | null;
  testId: string;
  onClose: () => void;
  /** What to do with it, and that it is not shown again. */
  children: ReactNode;
}

/** A secret paybridge keeps only as a hash (or not at all): shown this once, with Copy. */
export function ShownOnce({ title, value, testId, onClose, children }: ShownOnceProps) {
  return (
    <Modal opened={value !== null} onClose={onClose} title={title} centered size="lg">
      <Text size="sm" mb="xs">
        {children}
      </Text>
      <Code block data-testid={testId} style={{ wordBreak: 'break-all' }}>
        {value}
      </Code>
      <Group justify="flex-end" mt="md">
        <CopyButton value={value ?? ''}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onClose}>Done</Button>
      </Group>
    </Modal>
  );
}
