import { Alert, Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { apiKey, call } from '../api/call.ts';
import { formatDateTime } from '../common/format.ts';
import { ErrorState, LoadingState } from '../common/States.tsx';
import { plural } from '../../domain/plural.ts';

const KIND_LABEL = { receipt: 'Receipt', link: 'Link', event: 'Staff event', digest: 'Digest' } as const;
const STATUS_COLOR = { queued: 'yellow', sent: 'green', failed: 'red' } as const;

/** The firm's mail: what is queued, sent or given up; without SMTP, the outbox files it wrote. */
export function Outbox() {
  const outbox = useQuery({
    queryKey: apiKey('GET /settings/outbox', { query: { limit: 100 } }),
    queryFn: () => call('GET /settings/outbox', { query: { limit: 100 } }),
    refetchInterval: 30_000,
  });
  if (outbox.isPending) return <LoadingState label="Loading mail" />;
  if (outbox.error) return <ErrorState error={outbox.error} onRetry={() => void outbox.refetch()} />;
  const { delivery, files, queue } = outbox.data;
  return (
    <Stack gap="md">
      {delivery === 'outbox' ? (
        <Alert color="blue" title="No SMTP server set">
          Mail is written as .eml files under DATA_DIR/outbox/ instead of being sent. Set SMTP_URL to send it.
        </Alert>
      ) : (
        <Text size="sm">Mail is sent over SMTP.</Text>
      )}
      <Title order={3} size="h5">
        Mail
      </Title>
      {queue.length === 0 ? (
        <Text size="sm" c="dimmed">
          No mail yet.
        </Text>
      ) : (
        <Table striped aria-label="Mail">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Queued</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>To</Table.Th>
              <Table.Th>Subject</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {queue.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>{formatDateTime(m.createdAt)}</Table.Td>
                <Table.Td>{KIND_LABEL[m.kind]}</Table.Td>
                <Table.Td>{m.recipient}</Table.Td>
                <Table.Td>{m.subject ?? ''}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[m.status]} variant="light">
                    {m.status}
                  </Badge>
                  {m.lastError && (
                    <Text size="xs" c="dimmed">
                      {plural(m.attempts, 'try', 'tries')}: {m.lastError}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {delivery === 'outbox' && (
        <>
          <Title order={3} size="h5">
            Outbox files
          </Title>
          {files.length === 0 ? (
            <Text size="sm" c="dimmed">
              No files yet.
            </Text>
          ) : (
            <Table striped aria-label="Outbox files">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Written</Table.Th>
                  <Table.Th>To</Table.Th>
                  <Table.Th>Subject</Table.Th>
                  <Table.Th>File</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {files.map((f) => (
                  <Table.Tr key={f.file}>
                    <Table.Td>{formatDateTime(f.writtenAt)}</Table.Td>
                    <Table.Td>{f.to}</Table.Td>
                    <Table.Td>{f.subject}</Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace">
                        {f.file}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
    </Stack>
  );
}
