import { Button, Group, Modal, Text } from '@mantine/core';
import { formatUsd } from '../common/format.ts';
import { LoadingState } from '../common/States.tsx';
import { useCounts } from './queries.ts';

/** Post All takes every pending record of the firm, whatever the filters show, so it says how many and how much first. */
export function PostAllDialog({
  opened,
  onClose,
  onConfirm,
}: {
  opened: boolean;
  onClose: () => void;
  onConfirm: () => void;
}) {
  const counts = useCounts({});
  const pending = counts.data?.pending ?? 0;
  const total = counts.data?.pendingTotalCents;
  return (
    <Modal opened={opened} onClose={onClose} title="Post All" centered>
      {counts.isPending ? (
        <LoadingState label="Counting pending records" />
      ) : (
        <Text>
          {pending === 0
            ? 'No record is pending, so there is nothing to post.'
            : `Post all ${pending} pending ${pending === 1 ? 'record' : 'records'}${total === undefined ? '' : `, ${formatUsd(total)} in total`}, on every page, in one batch?`}
        </Text>
      )}
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button
          disabled={pending === 0}
          onClick={() => {
            onClose();
            onConfirm();
          }}
        >
          Post {pending} {pending === 1 ? 'record' : 'records'}
        </Button>
      </Group>
    </Modal>
  );
}
