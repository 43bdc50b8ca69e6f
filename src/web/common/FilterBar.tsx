import { Button, Group, Select, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { ACCOUNTS, isOneOf, ORIGINS } from '../../domain/types.ts';
import { ACCOUNT_OPTIONS, ORIGIN_LABELS } from './format.ts';
import type { FilterForm, Filters } from './useFilters.ts';

const SORT_OPTIONS = [
  { value: 'desc', label: 'Newest first' },
  { value: 'asc', label: 'Oldest first' },
] satisfies { value: FilterForm['sort']; label: string }[];

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
  // A typed field's text and how it changes.
  const typed = (key: 'q' | 'from' | 'to' | 'min' | 'max') => ({
    value: form[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => set(key, e.currentTarget.value),
  });
  // A choice that may be left at any: one of `values`, or '' once cleared.
  const anyOf = <K extends 'account' | 'origin'>(key: K, values: readonly FilterForm[K][]) => ({
    placeholder: 'Any',
    value: form[key] || null,
    onChange: (v: string | null) => set(key, isOneOf(values, v) ? v : ''),
    clearable: true,
  });
  return (
    <Group gap="xs" align="flex-end" wrap="wrap" role="search" aria-label="Filters">
      <TextInput
        label="Search"
        placeholder="Payer, invoice, client, matter"
        leftSection={<IconSearch size={14} aria-hidden />}
        {...typed('q')}
        size="xs"
        w={210}
      />
      <TextInput label="From" type="date" {...typed('from')} size="xs" w={125} />
      <TextInput label="To" type="date" {...typed('to')} size="xs" w={125} />
      <TextInput label="Min amount ($)" inputMode="decimal" {...typed('min')} error={errors.min} size="xs" w={100} />
      <TextInput label="Max amount ($)" inputMode="decimal" {...typed('max')} error={errors.max} size="xs" w={100} />
      <Select label="Account" data={ACCOUNT_OPTIONS} {...anyOf('account', ACCOUNTS)} size="xs" w={120} />
      <Select
        label="Origin"
        data={origins.map((o) => ({ value: o, label: ORIGIN_LABELS[o] ?? o }))}
        {...anyOf('origin', ORIGINS)}
        size="xs"
        w={150}
      />
      <Select
        label="Sort by date"
        data={SORT_OPTIONS}
        value={form.sort}
        onChange={(v) => set('sort', v === 'asc' ? 'asc' : 'desc')}
        allowDeselect={false}
        size="xs"
        w={130}
      />
      {children}
      <Button variant="subtle" size="xs" onClick={filters.reset}>
        Clear filters
      </Button>
    </Group>
  );
}
