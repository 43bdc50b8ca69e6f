import { Button, Code, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { apiKey, call } from '../api/call.ts';
import { formatDateTime } from '../common/format.ts';
import { ErrorState, LoadingState } from '../common/States.tsx';
import { useExport } from '../common/useExport.ts';

const PAGE = 50;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The firm's audit log (admin): filter by actor, action and days (the firm's), page on, export. */
export function AuditLog() {
  const [actor, setActor] = useState<string | null>(null);
  const [action, setAction] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const filters = {
    ...(actor ? { actor } : {}),
    ...(action ? { action } : {}),
    ...(DATE.test(from) ? { from } : {}),
    ...(DATE.test(to) ? { to } : {}),
  };
  const facets = useQuery({
    queryKey: apiKey('GET /audit-events/actions'),
    queryFn: () => call('GET /audit-events/actions'),
  });
  const events = useInfiniteQuery({
    queryKey: apiKey('GET /audit-events', { query: filters }),
    queryFn: ({ pageParam }) =>
      call('GET /audit-events', { query: { ...filters, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const exporter = useExport('GET /audit-events/export.xlsx', 'audit-log.xlsx');
  return (
    <Stack gap="md">
      <Group align="flex-end" gap="sm" aria-label="Audit log filters" role="group">
        <Select
          label="Actor"
          data={facets.data?.actors ?? []}
          value={actor}
          onChange={setActor}
          clearable
          searchable
          w={240}
        />
        <Select
          label="Action"
          data={facets.data?.actions ?? []}
          value={action}
          onChange={setAction}
          clearable
          searchable
          w={240}
        />
        <TextInput label="From" type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={160} />
        <TextInput label="To" type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} w={160} />
        <Button variant="default" loading={exporter.exporting} onClick={() => exporter.run({ query: filters })}>
          Export to Excel
        </Button>
      </Group>
      {events.isPending ? (
        <LoadingState label="Loading the audit log" />
      ) : events.error ? (
        <ErrorState error={events.error} onRetry={() => void events.refetch()} />
      ) : (
        <>
          <Table aria-label="Audit log" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th>
                <Table.Th>Actor</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Change</Table.Th>
                <Table.Th>Detail</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.data.pages
                .flatMap((p) => p.items)
                .map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                    {/* An email or a long detail breaks where it must, rather than widen the page. */}
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>{e.actorLabel}</Table.Td>
                    <Table.Td>{e.action}</Table.Td>
                    <Table.Td>{e.from || e.to ? `${e.from ?? '—'} → ${e.to ?? '—'}` : ''}</Table.Td>
                    <Table.Td>
                      {e.detail === null ? (
                        ''
                      ) : (
                        <Code style={{ overflowWrap: 'anywhere' }}>{JSON.stringify(e.detail).slice(0, 200)}</Code>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
          {events.data.pages[0]?.items.length === 0 && (
            <Text size="sm" c="dimmed">
              No events match.
            </Text>
          )}
          {events.hasNextPage && (
            <Button variant="default" onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
              Show more
            </Button>
          )}
        </>
      )}
    </Stack>
  );
}
