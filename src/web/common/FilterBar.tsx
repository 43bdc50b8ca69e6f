import { Button, Group, Select, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { ACCOUNTS, isOneOf, ORIGINS } from '../../domain/types.ts';
import { ACCOUNT_OPTIONS, ORIGIN_LABELS } from './format.ts';
import type { FilterForm, Filters } from './useFilters.ts';

/**
 * A field's error sits under it without making the bar taller, so nothing moves when one
 * shows (issue 16): the bar keeps room for one line below it.
 */
const ERROR_BELOW = {
  root: { position: 'relative' },
  wrapper: { marginBottom: 0 },
  error: { position: 'absolute', top: '100%', left: 0, whiteSpace: 'nowrap', marginTop: 2 },
} as const;

export function FilterBar({
  filters,
  origins,
  children,
}: {
  filters: Filters;
  origins: readonly string[];
  children?: React.ReactNode;
}) {
  const { form, set, errors } = filters;
  // A typed field's text and how it changes; a range's ends show their error beneath.
  const typed = (key: 'q' | 'from' | 'to' | 'min' | 'max') => ({
    value: form[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => set(key, e.currentTarget.value),
    ...(key === 'q' ? {} : { error: errors[key], styles: ERROR_BELOW }),
  });
  // A choice that may be left at any: one of `values`, or '' once cleared.
  const anyOf = <K extends 'account' | 'origin'>(key: K, values: readonly FilterForm[K][]) => ({
    placeholder: 'Any',
    value: form[key] || null,
    onChange: (v: string | null) => set(key, isOneOf(values, v) ? v : ''),
    clearable: true,
  });
  return (
    <Group
      gap="xs"
      align="flex-end"
      wrap="wrap"
      role="search"
      aria-label="Filters"
      pb={14}
      style={{ rowGap: 'var(--mantine-spacing-lg)' }}
    >
      <TextInput
        label="Search"
        placeholder="Payer, invoice, amount, last 4…"
        title="Payer, invoice, client, matter, an amount (1,250.00), the last 4 digits of a card or account, or client / matter (1002 / 001)"
        leftSection={<IconSearch size={14} aria-hidden />}
        {...typed('q')}
        size="xs"
        w={210}
      />
      <TextInput label="From" type="date" {...typed('from')} size="xs" w={125} />
      <TextInput label="To" type="date" {...typed('to')} size="xs" w={125} />
      <TextInput label="Min amount ($)" inputMode="decimal" {...typed('min')} size="xs" w={100} />
      <TextInput label="Max amount ($)" inputMode="decimal" {...typed('max')} size="xs" w={100} />
      <Select label="Account" data={ACCOUNT_OPTIONS} {...anyOf('account', ACCOUNTS)} size="xs" w={120} />
      <Select
        label="Origin"
        data={origins.map((o) => ({ value: o, label: ORIGIN_LABELS[o] ?? o }))}
        {...anyOf('origin', ORIGINS)}
        size="xs"
        w={150}
      />
      {children}
      <Button variant="subtle" size="xs" onClick={filters.reset} disabled={!filters.active}>
        Clear filters
      </Button>
    </Group>
  );
}
