import { Button, Group, Select, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { ACCOUNTS, isOneOf, ORIGINS, type Account } from '../../domain/types.ts';
import { ORIGIN_LABELS } from './format.ts';
import type { Filters } from './useFilters.ts';

const ACCOUNT_OPTIONS = [
  { value: 'operating', label: 'Operating' },
  { value: 'trust', label: 'Trust' },
] satisfies { value: Account; label: string }[];

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
  return (
    <Group gap="xs" align="flex-end" wrap="wrap" role="search" aria-label="Filters">
      <TextInput
        label="Search"
        placeholder="Payer, invoice, client, matter"
        leftSection={<IconSearch size={14} aria-hidden />}
        value={form.q}
        onChange={(e) => set('q', e.currentTarget.value)}
        w={210}
        size="xs"
      />
      <TextInput
        label="From"
        type="date"
        value={form.from}
        onChange={(e) => set('from', e.currentTarget.value)}
        size="xs"
        w={125}
      />
      <TextInput
        label="To"
        type="date"
        value={form.to}
        onChange={(e) => set('to', e.currentTarget.value)}
        size="xs"
        w={125}
      />
      <TextInput
        label="Min amount ($)"
        inputMode="decimal"
        value={form.min}
        error={errors.min}
        onChange={(e) => set('min', e.currentTarget.value)}
        size="xs"
        w={100}
      />
      <TextInput
        label="Max amount ($)"
        inputMode="decimal"
        value={form.max}
        error={errors.max}
        onChange={(e) => set('max', e.currentTarget.value)}
        size="xs"
        w={100}
      />
      <Select
        label="Account"
        placeholder="Any"
        data={ACCOUNT_OPTIONS}
        value={form.account || null}
        onChange={(v) => set('account', isOneOf(ACCOUNTS, v) ? v : '')}
        clearable
        size="xs"
        w={120}
      />
      <Select
        label="Origin"
        placeholder="Any"
        data={origins.map((o) => ({ value: o, label: ORIGIN_LABELS[o] ?? o }))}
        value={form.origin || null}
        onChange={(v) => set('origin', isOneOf(ORIGINS, v) ? v : '')}
        clearable
        size="xs"
        w={150}
      />
      <Select
        label="Sort by date"
        data={[
          { value: 'desc', label: 'Newest first' },
          { value: 'asc', label: 'Oldest first' },
        ]}
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
