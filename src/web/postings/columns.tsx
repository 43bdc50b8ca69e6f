import { Badge, Button, Group, List, Stack, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconEye, IconPencil, IconUser } from '@tabler/icons-react';
import type { ColumnDef } from '@tanstack/react-table';
import { REASON_TEXT } from '../../domain/types.ts';
import type { PostingRecord, View } from '../api/types.ts';
import { accountColumn, amountColumn, dateColumn, methodColumn } from '../common/columns.tsx';
import { clientMatter, formatDate, formatUsd } from '../common/format.ts';
import { Waited } from '../common/Waited.tsx';
import { mmsBadge } from './mmsAnswer.ts';
import { RECORD_KIND_LABEL, recordKind, ReversalBadge } from './ReversalBadge.tsx';

export const STATUS_COLORS: Record<string, string> = {
  pending: 'blue',
  incomplete: 'red',
  queued: 'yellow',
  posted: 'green',
  removed: 'gray',
};

function allocationTargets(record: PostingRecord): string {
  const invoices = record.allocations.map((a) => a.invoiceNumber).filter((n): n is string => n !== null);
  const shown = invoices.length > 0 ? invoices : record.invoiceNumbers;
  return shown.length > 0 ? shown.join(', ') : '—';
}

function clientMatterOf(record: PostingRecord): string {
  const first = record.allocations[0];
  return clientMatter(first?.clientNumber ?? record.clientNumber, first?.matterNumber ?? record.matterNumber);
}

/** The MMS's words beside its reason: two lines at most in the row, the whole text on hover and in the drawer. */
function MmsRefusal({ message }: { message: string }) {
  return (
    <Tooltip label={message} multiline w={360} withArrow openDelay={200}>
      <Text size="xs" c="red.9" lineClamp={2} maw={240} fs="italic">
        “{message}”
      </Text>
    </Tooltip>
  );
}

function StatusCell({ record, view }: { record: PostingRecord; view: View }) {
  const badge = mmsBadge(record);
  return (
    <Stack gap={2}>
      <Group gap={4} wrap="nowrap">
        <Badge size="sm" color={STATUS_COLORS[record.status]} variant="light">
          {record.status}
        </Badge>
        {record.batchSeq !== null && (
          <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
            Batch #{record.batchSeq}
          </Text>
        )}
      </Group>
      {badge && (
        <Tooltip label={badge.explanation} multiline w={280} withArrow openDelay={200}>
          <Badge
            size="sm"
            color={badge.color}
            variant={badge.label === 'Applied in MMS' ? 'filled' : 'outline'}
            w="fit-content"
          >
            {badge.label}
          </Badge>
        </Tooltip>
      )}
      {view === 'queued' && record.status === 'queued' && (
        <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
          Waiting <Waited since={record.statusChangedAt} />
        </Text>
      )}
      {record.reasons.length > 0 && (
        <List size="xs" c="red.8" spacing={0} withPadding={false} listStyleType="none">
          {record.reasons.map((reason) => (
            <List.Item key={reason}>
              {REASON_TEXT[reason]}
              {reason === 'rejected_by_mms' && record.mmsMessage && <MmsRefusal message={record.mmsMessage} />}
            </List.Item>
          ))}
        </List>
      )}
      {record.removalNote && (
        <Text size="xs" c="dimmed">
          Note: {record.removalNote}
        </Text>
      )}
    </Stack>
  );
}

export function describeRecord(record: PostingRecord): string {
  const labelled = recordKind(record);
  const kind = labelled ? ` ${RECORD_KIND_LABEL[labelled]}` : '';
  return `${record.payerName}${kind} ${formatUsd(record.amountCents)} ${formatDate(record.processedAt)}`;
}

/**
 * The columns of a view. `onOpen` opens a record in the drawer: Edit where the user may
 * change it, View (read-only, with its history and the MMS's answer) elsewhere.
 */
export function postingColumns(
  view: View,
  canEdit: boolean,
  onOpen: (record: PostingRecord) => void,
): ColumnDef<PostingRecord>[] {
  const columns: ColumnDef<PostingRecord>[] = [
    { ...dateColumn('date', 'Date', (r) => r.processedAt, 'xs'), size: 100 },
    {
      id: 'payer',
      header: 'Payer',
      cell: ({ row }) => (
        // The person icon leads the name, at its full size however narrow the row.
        <Group gap={4} wrap="nowrap">
          {row.original.fromPaymentPage && (
            <Tooltip label="Created via a payment page" withArrow>
              <IconUser
                size={16}
                aria-label="Created via a payment page"
                role="img"
                tabIndex={0}
                style={{ flexShrink: 0 }}
              />
            </Tooltip>
          )}
          <Text size="xs" miw={110}>
            {row.original.payerName}
          </Text>
        </Group>
      ),
    },
    { id: 'invoices', header: 'Invoice(s)', cell: ({ row }) => allocationTargets(row.original) },
    { id: 'clientMatter', header: 'Client/Matter', cell: ({ row }) => clientMatterOf(row.original) },
    amountColumn(
      'amount',
      'Amount',
      (r) => r.amountCents,
      'xs',
      (r) => {
        const kind = recordKind(r);
        return kind && <ReversalBadge kind={kind} />;
      },
    ),
    amountColumn('surcharge', 'Surcharge', (r) => r.surchargeCents, 'xs'),
    methodColumn('xs'),
    accountColumn(),
    {
      id: 'status',
      header: 'Status and reasons',
      size: 210,
      cell: ({ row }) => <StatusCell record={row.original} view={view} />,
    },
    {
      id: 'open',
      header: () => <VisuallyHidden>Actions</VisuallyHidden>,
      cell: ({ row }) =>
        canEdit && (row.original.status === 'pending' || row.original.status === 'incomplete') ? (
          <Button
            size="compact-xs"
            variant="light"
            leftSection={<IconPencil size={12} aria-hidden />}
            onClick={() => onOpen(row.original)}
            aria-label={`Edit Posting Record: ${describeRecord(row.original)}`}
          >
            Edit Posting Record
          </Button>
        ) : (
          <Button
            size="compact-xs"
            variant="subtle"
            color="gray"
            leftSection={<IconEye size={12} aria-hidden />}
            onClick={() => onOpen(row.original)}
            aria-label={`View posting record: ${describeRecord(row.original)}`}
          >
            View
          </Button>
        ),
    },
  ];
  return columns;
}
