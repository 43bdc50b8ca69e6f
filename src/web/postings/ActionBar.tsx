import { Button, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconFileSpreadsheet } from '@tabler/icons-react';
import type { PostingRecord, View } from '../api/types.ts';
import { useCan } from '../session.ts';
import { PostAllDialog } from './PostAllDialog.tsx';
import { RemoveDialog } from './RemoveDialog.tsx';
import type { PostingActions } from './useActions.ts';

/** SPEC §4: which actions each view offers. */
const OFFERS: Record<View, { post: boolean; remove: boolean; moveToPending: boolean }> = {
  pending_incomplete: { post: true, remove: true, moveToPending: false },
  pending: { post: true, remove: true, moveToPending: false },
  incomplete: { post: false, remove: true, moveToPending: false },
  posted: { post: false, remove: false, moveToPending: false },
  removed: { post: false, remove: false, moveToPending: true },
  queued: { post: false, remove: false, moveToPending: false },
  all: { post: false, remove: false, moveToPending: false },
};

interface Props {
  view: View;
  selected: PostingRecord[];
  /** The pending records under the filters. */
  pendingCount: number;
  /** Whether filters or a search narrow the list: Post All takes every pending record even so. */
  filtered: boolean;
  actions: PostingActions;
  onExport: () => void;
  exporting: boolean;
}

export function ActionBar({ view, selected, pendingCount, filtered, actions, onExport, exporting }: Props) {
  const canChange = useCan('accountant');
  const [postAllOpen, postAll] = useDisclosure(false);
  const [removeOpen, remove] = useDisclosure(false);
  const offers = canChange ? OFFERS[view] : { post: false, remove: false, moveToPending: false };
  const ids = selected.map((r) => r.id);
  const some = selected.length > 0 && !actions.busy;
  const allAre = (...statuses: string[]) => selected.every((r) => statuses.includes(r.status));
  // A record removed because its payment was voided, refunded or charged back stays removed (the server refuses it too).
  const reversedPayment = selected.some((r) => r.status === 'removed' && r.reasons.includes('payment_reversed'));
  return (
    <Group gap="xs" role="toolbar" aria-label="Actions">
      {offers.post && (
        <Button size="xs" disabled={!some || !allAre('pending')} onClick={() => actions.postSelected(ids)}>
          Post Selected
        </Button>
      )}
      {offers.remove && (
        <Button
          size="xs"
          color="red"
          variant="light"
          disabled={!some || !allAre('pending', 'incomplete')}
          onClick={remove.open}
        >
          Remove Posts
        </Button>
      )}
      {offers.post && (
        <Button
          size="xs"
          variant="light"
          disabled={(!filtered && pendingCount === 0) || actions.busy}
          onClick={postAll.open}
        >
          Post All
        </Button>
      )}
      {offers.moveToPending && (
        <>
          <Button
            size="xs"
            disabled={!some || !allAre('removed') || reversedPayment}
            aria-describedby={reversedPayment ? 'move-to-pending-why' : undefined}
            onClick={() => actions.moveToPending(ids)}
          >
            Move to Pending
          </Button>
          {reversedPayment && (
            <Text size="xs" c="dimmed" id="move-to-pending-why">
              {selected.length === 1 ? "This record's payment was" : "A selected record's payment was"} voided, refunded
              or charged back, so it stays removed.
            </Text>
          )}
        </>
      )}
      <Button
        size="xs"
        variant="default"
        leftSection={<IconFileSpreadsheet size={14} aria-hidden />}
        loading={exporting}
        onClick={onExport}
      >
        Export to Excel
      </Button>
      {postAllOpen && (
        <PostAllDialog
          opened
          onClose={postAll.close}
          onConfirm={actions.postAll}
          filteredPending={filtered ? pendingCount : null}
        />
      )}
      <RemoveDialog
        count={selected.length}
        opened={removeOpen}
        onClose={remove.close}
        onConfirm={(note) => actions.remove(ids, note)}
      />
    </Group>
  );
}
