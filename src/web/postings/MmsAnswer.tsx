import { Alert, Badge, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { RecordDetail } from '../api/types.ts';
import { formatDateTime } from '../common/format.ts';
import { mmsBadge, refusedInBatch } from './mmsAnswer.ts';

/**
 * What the MMS did with the record (SPEC §5.1): for a refused record its own words, first
 * and in full; for a posted one whether it is applied, awaited, or only delivered.
 */
export function MmsAnswer({ record }: { record: RecordDetail }) {
  if (record.reasons.includes('rejected_by_mms')) {
    const seq = refusedInBatch(record.history);
    return (
      <Alert
        color="red"
        variant="light"
        role="note"
        icon={<IconAlertTriangle aria-hidden />}
        title={`The MMS refused this record${seq === null ? '' : ` in batch #${seq}`}`}
      >
        <Stack gap={6}>
          {record.mmsMessage && (
            <Text
              component="blockquote"
              size="sm"
              fw={500}
              m={0}
              pl="sm"
              style={{
                borderLeft: '3px solid var(--mantine-color-red-6)',
                whiteSpace: 'pre-wrap',
                overflowWrap: 'anywhere',
              }}
            >
              {record.mmsMessage}
            </Text>
          )}
          <Text size="xs">
            Nothing of it was applied. Fix what the MMS refused, here or in the MMS, and save: the record becomes
            pending and goes out again in a new batch.
          </Text>
        </Stack>
      </Alert>
    );
  }
  const badge = mmsBadge(record);
  if (!badge) return null;
  const applied =
    record.mmsStatus === 'applied' ? record.history.findLast((e) => e.action === 'mms_applied') : undefined;
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" component="section" aria-label="The MMS's answer">
      <Badge
        color={badge.color}
        variant={badge.label === 'Applied in MMS' ? 'filled' : 'outline'}
        style={{ flexShrink: 0 }}
      >
        {badge.label}
      </Badge>
      <Text size="sm">
        {badge.explanation}
        {applied ? ` (${formatDateTime(applied.at)})` : ''}
      </Text>
    </Group>
  );
}
