import { Alert, Button, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import { apiKey, call, downloadFrom } from '../api/call.ts';
import type { Batch } from '../api/types.ts';
import { DataTable } from '../common/DataTable.tsx';
import { amountColumn } from '../common/columns.tsx';
import { DateTime } from '../common/DateTime.tsx';
import { formatDateTime } from '../common/format.ts';
import { PagerBar } from '../common/PagerBar.tsx';
import { EmptyState, ErrorState, LoadingState } from '../common/States.tsx';
import { usePager } from '../common/usePager.ts';
import { Waited } from '../common/Waited.tsx';
import { usualDeliveryText } from '../connect/deliveryText.ts';
import { useConnectStatus } from '../connect/queries.ts';
import { useLiveRefetch } from '../live/useLive.ts';
import { batchAnswer, needsCreditUpload } from '../postings/mmsAnswer.ts';
import { useMe } from '../session.ts';

/** What the MMS did with the batch's lines: applied, refused (in red) and still awaited. */
function MmsAnswerCell({ batch }: { batch: Batch }) {
  const answer = batchAnswer(batch);
  if (answer.kind === 'queued')
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  if (answer.kind === 'no_answer')
    return (
      <Text size="xs" c="dimmed" maw={150}>
        Delivered; this agent does not report the MMS's answer
      </Text>
    );
  return (
    <Stack gap={0} style={{ whiteSpace: 'nowrap' }}>
      <Text size="sm">{answer.applied} applied</Text>
      <Text size="sm" c={answer.rejected > 0 ? 'red.8' : undefined} fw={answer.rejected > 0 ? 600 : undefined}>
        {answer.rejected} refused
      </Text>
      {answer.awaiting > 0 && (
        <Text size="xs" c="orange.8">
          {answer.awaiting} awaiting
        </Text>
      )}
    </Stack>
  );
}

/** A batch the agent quarantined instead of delivering: what it said, and who can lift the halt. */
function QuarantineNote({ batch }: { batch: Batch }) {
  return (
    <Stack gap={2} maw={320}>
      <Text size="sm" c="red.8" fw={600}>
        Held by the agent since {formatDateTime(batch.quarantinedAt!)}
      </Text>
      <Text size="xs">{batch.quarantineReason}</Text>
      <Text size="xs" c="dimmed">
        This batch and every later one wait until the firm's IT person resolves it on the agent's server.
      </Text>
    </Stack>
  );
}

function batchColumns(creditUpload: boolean): ColumnDef<Batch>[] {
  return [
    {
      id: 'seq',
      header: 'Batch',
      cell: ({ row }) => (
        <Text size="sm" fw={600}>
          #{row.original.seq}
        </Text>
      ),
    },
    {
      id: 'file',
      header: 'File',
      cell: ({ row }) => (
        <Text size="sm" ff="monospace">
          {row.original.fileName}
        </Text>
      ),
    },
    { id: 'records', header: 'Records', cell: ({ row }) => row.original.recordCount },
    { id: 'lines', header: 'Lines', cell: ({ row }) => row.original.lineCount },
    amountColumn('total', 'Total', (b) => b.totalCents),
    { id: 'createdBy', header: 'Created by', cell: ({ row }) => row.original.createdBy },
    { id: 'createdAt', header: 'Created', cell: ({ row }) => <DateTime iso={row.original.createdAt} /> },
    {
      id: 'delivered',
      header: 'Delivered',
      cell: ({ row }) =>
        row.original.deliveredAt ? (
          <Stack gap={2}>
            <Text size="sm">
              <DateTime iso={row.original.deliveredAt} />
            </Text>
            {creditUpload && needsCreditUpload(batchAnswer(row.original)) && (
              <Text size="xs" c="orange.8">
                Run the credit upload in the MMS to finish this batch.
              </Text>
            )}
          </Stack>
        ) : row.original.quarantinedAt ? (
          <QuarantineNote batch={row.original} />
        ) : (
          <Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
            Waiting for the agent for <Waited since={row.original.createdAt} />
          </Text>
        ),
    },
    { id: 'mms', header: 'Lines in the MMS', cell: ({ row }) => <MmsAnswerCell batch={row.original} /> },
    {
      id: 'download',
      header: () => <VisuallyHidden>Download</VisuallyHidden>,
      cell: ({ row }) => (
        <Button
          size="compact-xs"
          variant="light"
          leftSection={<IconDownload size={12} aria-hidden />}
          aria-label={`Download ${row.original.fileName}`}
          onClick={() =>
            void downloadFrom('GET /batches/:id/file', row.original.fileName, { params: { id: row.original.id } })
          }
        >
          Download
        </Button>
      ),
    },
  ];
}

export function Batches() {
  const me = useMe();
  const pager = usePager('batches');
  const live = useLiveRefetch();
  const connect = useConnectStatus();
  const list = useQuery({
    ...live,
    queryKey: apiKey('GET /batches', { query: { cursor: pager.cursor, limit: pager.limit } }),
    queryFn: () => call('GET /batches', { query: { cursor: pager.cursor, limit: pager.limit } }),
    placeholderData: keepPreviousData,
  });
  const creditUpload = me.firm.creditUploadNeeded;
  const columns = useMemo(() => batchColumns(creditUpload), [creditUpload]);
  const items = list.data?.items ?? [];
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Batches
      </Title>
      <Text size="sm" c="dimmed">
        Every batch made by Post Selected, Post All or automatic posting, newest first.{' '}
        {usualDeliveryText(connect.data?.deliverySeconds) ?? ''}
      </Text>
      {items.some((b) => b.status === 'queued' && b.quarantinedAt) && (
        <Alert color="red" py={6} role="alert" title="Delivery is halted">
          The Connect agent quarantined a batch instead of delivering it, and delivers no later batch until the firm's
          IT person resolves it on the agent's server (README: "Quarantine").
        </Alert>
      )}
      {creditUpload && (
        <Alert color="orange" py={6} role="note">
          Your matter management system needs a credit upload after each delivered batch.
        </Alert>
      )}
      {list.isPending ? (
        <LoadingState label="Loading batches" />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>No batch has been made yet. Post records from Manage Postings to make one.</EmptyState>
      ) : (
        <DataTable
          label="Batches"
          data={items}
          columns={columns}
          getRowId={(b) => b.id}
          describeRow={(b) => `batch ${b.seq}`}
        />
      )}
      <PagerBar pager={pager} nextCursor={list.data?.nextCursor} shown={items.length} />
    </Stack>
  );
}
