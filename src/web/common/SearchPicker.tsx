import { Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { errorText } from './errors.ts';

/** One thing found, as the picker lists it. */
export interface Found {
  key: string;
  text: ReactNode;
  /** Read by a screen reader on its Add button, e.g. "invoice 24-0117". */
  name: string;
  disabled: boolean;
}

interface Props<T> {
  label: string;
  description: string;
  /** What the list of matches is called, e.g. "Matching invoices". */
  listLabel: string;
  noMatch: (q: string) => string;
  /** The search, keyed and asked as the typed text settles. */
  search: (q: string) => { queryKey: readonly unknown[]; queryFn: () => Promise<{ items: T[] }> };
  describe: (item: T) => Found;
  onPick: (item: T) => void;
}

/** A search box whose matches each have an Add button: the reallocation's invoice and matter searches. */
export function SearchPicker<T>({ label, description, listLabel, noMatch, search, describe, onPick }: Props<T>) {
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 250);
  const found = useQuery({ ...search(q), enabled: q.length > 0, placeholderData: keepPreviousData });
  const items = q ? (found.data?.items ?? []) : [];
  return (
    <Stack gap={4}>
      <TextInput
        label={label}
        description={description}
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
          {noMatch(q)}
        </Text>
      )}
      {items.length > 0 && (
        <Paper withBorder p={4} role="list" aria-label={listLabel}>
          {items.map((item) => {
            const shown = describe(item);
            return (
              <Group key={shown.key} justify="space-between" wrap="nowrap" role="listitem" px={4} py={2}>
                <Text size="xs">{shown.text}</Text>
                <Button
                  size="compact-xs"
                  variant="light"
                  leftSection={<IconPlus size={12} aria-hidden />}
                  disabled={shown.disabled}
                  onClick={() => onPick(item)}
                  aria-label={`Add ${shown.name}`}
                >
                  Add
                </Button>
              </Group>
            );
          })}
        </Paper>
      )}
    </Stack>
  );
}
