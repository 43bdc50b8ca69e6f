import { Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { apiKey, call } from '../api/call.ts';
import type { Matter } from '../api/types.ts';
import { errorText } from '../common/errors.ts';

interface Props {
  onPick: (matter: Matter) => void;
  /** The client/matter pairs already on a line, as `client/matter`. */
  picked: readonly string[];
}

export const matterKey = (clientNumber: string, matterNumber: string) =>
  `${clientNumber.trim()}/${matterNumber.trim()}`;

/**
 * Search the firm's synced matters by client or matter, as the accountant types: trust
 * money can only go to a matter the MMS has, so this is where the accountant finds it.
 */
export function MatterSearch({ onPick, picked }: Props) {
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 250);
  const found = useQuery({
    queryKey: apiKey('GET /matters', { query: { q, limit: 8 } }),
    queryFn: () => call('GET /matters', { query: { q, limit: 8 } }),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });
  const items = q ? (found.data?.items ?? []) : [];
  return (
    <Stack gap={4}>
      <TextInput
        label="Search matters"
        description="By client number or name, matter number or description"
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
          No matter matches “{q}”.
        </Text>
      )}
      {items.length > 0 && (
        <Paper withBorder p={4} role="list" aria-label="Matching matters">
          {items.map((matter) => {
            const key = matterKey(matter.clientNumber, matter.matterNumber);
            return (
              <Group key={key} justify="space-between" wrap="nowrap" role="listitem" px={4} py={2}>
                <Text size="xs">
                  <b>{key}</b> · {matter.clientName} · {matter.description || 'no description'}
                </Text>
                <Button
                  size="compact-xs"
                  variant="light"
                  leftSection={<IconPlus size={12} aria-hidden />}
                  disabled={picked.includes(key)}
                  onClick={() => onPick(matter)}
                  aria-label={`Add matter ${key}`}
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
