import { Alert, Badge, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { apiKey, call } from '../api/call.ts';
import { formatDateTime } from '../common/format.ts';
import { ErrorState, LoadingState } from '../common/States.tsx';
import { plural } from '../../domain/plural.ts';
import type { z } from 'zod';
import type { outboxOut } from '../../contract/notifications.ts';
import { SettingsTable, type Column } from './SettingsList.tsx';

const KIND_LABEL = { receipt: 'Receipt', link: 'Link', event: 'Staff event', digest: 'Digest' } as const;
const STATUS_COLOR = { queued: 'yellow', sent: 'green', failed: 'red' } as const;

type OutboxView = z.output<typeof outboxOut>;

const MAIL_COLUMNS: Column<OutboxView['queue'][number]>[] = [
  { header: 'Queued', cell: (m) => formatDateTime(m.createdAt) },
  { header: 'Kind', cell: (m) => KIND_LABEL[m.kind] },
  { header: 'To', cell: (m) => m.recipient },
  { header: 'Subject', cell: (m) => m.subject ?? '' },
  {
    header: 'Status',
    cell: (m) => (
      <>
        <Badge color={STATUS_COLOR[m.status]} variant="light">
          {m.status}
        </Badge>
        {m.lastError && (
          <Text size="xs" c="dimmed">
            {plural(m.attempts, 'try', 'tries')}: {m.lastError}
          </Text>
        )}
      </>
    ),
  },
];

const FILE_COLUMNS: Column<OutboxView['files'][number]>[] = [
  { header: 'Written', cell: (f) => formatDateTime(f.writtenAt) },
  { header: 'To', cell: (f) => f.to },
  { header: 'Subject', cell: (f) => f.subject },
  {
    header: 'File',
    cell: (f) => (
      <Text size="xs" ff="monospace">
        {f.file}
      </Text>
    ),
  },
];

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
      <SettingsTable label="Mail" rows={queue} rowKey={(m) => m.id} columns={MAIL_COLUMNS} empty="No mail yet." />
      {delivery === 'outbox' && (
        <>
          <Title order={3} size="h5">
            Outbox files
          </Title>
          <SettingsTable
            label="Outbox files"
            rows={files}
            rowKey={(f) => f.file}
            columns={FILE_COLUMNS}
            empty="No files yet."
          />
        </>
      )}
    </Stack>
  );
}
