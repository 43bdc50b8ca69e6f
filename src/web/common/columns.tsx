import { Group, Text } from '@mantine/core';
import type { ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import type { Account } from '../../domain/types.ts';
import { ACCOUNT_LABELS, clientMatter, formatDate, formatUsd, methodText } from './format.ts';

// The columns several tables show alike. The Payment Manager's and Manage Postings' tables
// are wider than the others (dense), so their cells are set a size smaller to fit 1280 px.
type CellSize = 'xs' | 'sm';

/**
 * An amount of cents, right-aligned in figures of one width, so a column of amounts lines
 * up; `label` puts a word (a badge) before an amount that needs one.
 */
export function amountColumn<T>(
  id: string,
  header: string,
  cents: (row: T) => number,
  size: CellSize = 'sm',
  label?: (row: T) => ReactNode,
): ColumnDef<T> {
  return {
    id,
    header,
    meta: { align: 'right' },
    cell: ({ row }) => {
      const amount = (
        <Text size={size} ta="right" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
          {formatUsd(cents(row.original))}
        </Text>
      );
      const word = label?.(row.original);
      return word ? (
        // The word goes above the amount where the column is narrow, not into the next column.
        <Group gap={6} justify="flex-end" style={{ rowGap: 2 }}>
          {word}
          {amount}
        </Group>
      ) : (
        amount
      );
    },
  };
}

/** A day, on one line; a dash where there is none. */
export function dateColumn<T>(
  id: string,
  header: string,
  iso: (row: T) => string | null,
  size: CellSize = 'sm',
): ColumnDef<T> {
  return {
    id,
    header,
    cell: ({ row }) => {
      const day = iso(row.original);
      return (
        <Text size={size} style={{ whiteSpace: 'nowrap' }}>
          {day ? formatDate(day) : '—'}
        </Text>
      );
    },
  };
}

interface MethodFacts {
  method: string;
  cardBrand: string | null;
  last4: string | null;
}

/** "Visa ••4242", "eCheck ••6789". */
export function methodColumn<T extends MethodFacts>(size: CellSize = 'sm'): ColumnDef<T> {
  return {
    id: 'method',
    header: 'Method',
    cell: ({ row }) => (
      <Text size={size} style={{ whiteSpace: 'nowrap' }}>
        {methodText(row.original.method, row.original.cardBrand, row.original.last4)}
      </Text>
    ),
  };
}

/** The deposit account by its name where the row has it (payments and records), else by its kind. */
export function accountColumn<T extends { account: Account; depositAccountName?: string }>(): ColumnDef<T> {
  return {
    id: 'account',
    header: 'Account',
    cell: ({ row }) => row.original.depositAccountName ?? ACCOUNT_LABELS[row.original.account],
  };
}

export function clientMatterColumn<
  T extends { clientNumber: string | null; matterNumber: string | null },
>(): ColumnDef<T> {
  return {
    id: 'clientMatter',
    header: 'Client/Matter',
    cell: ({ row }) => clientMatter(row.original.clientNumber, row.original.matterNumber),
  };
}
