import { Alert, Button, Drawer, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { RecordDetail } from '../api/types.ts';
import { ErrorState, LoadingState } from '../common/States.tsx';
import { useCan } from '../session.ts';
import { EditForm } from './EditForm.tsx';
import { useRecord } from './queries.ts';

const isEditable = (record: RecordDetail, canChange: boolean) =>
  canChange && (record.status === 'pending' || record.status === 'incomplete');

export function EditDrawer({
  recordId,
  onClose,
  title,
}: {
  recordId: string | null;
  onClose: () => void;
  /** Without one, the title says whether the record shown can be edited. */
  title?: string;
}) {
  // A linked record (a reversal's original, an original's reversal) opened from this one,
  // in the same drawer; forgotten when the drawer opens another record or closes.
  const [followed, setFollowed] = useState<{ from: string; id: string } | null>(null);
  const following = followed !== null && followed.from === recordId;
  const record = useRecord(following ? followed.id : recordId);
  const canChange = useCan('accountant');
  // Kept here, not in the form: the form starts afresh on the reloaded version and this must stay.
  const [stale, setStale] = useState<{ id: string; message: string } | null>(null);
  // The version the form was started from. The record refreshes live; a read-only record just
  // shows what is new, but a form being edited keeps its version (saving it would otherwise
  // overwrite the change unseen) until the person asks for the new one.
  const [held, setHeld] = useState<RecordDetail | null>(null);
  // After a refused save, the next version is the one to show (with the note why).
  const [takeNext, setTakeNext] = useState(false);
  // Only what was fetched since the drawer opened: a cached older version would otherwise
  // be taken for the one the person started from.
  const latest = record.isFetchedAfterMount ? (record.data ?? null) : null;
  const changed = held !== null && latest !== null && held.id === latest.id && held.version !== latest.version;
  // Held only while the newer version can still be edited: one posted or removed meanwhile is shown at once.
  const holding = changed && !takeNext && isEditable(held, canChange) && isEditable(latest, canChange);
  const shown = holding ? held : latest;
  if (shown !== held) setHeld(shown);
  if (changed && takeNext) setTakeNext(false);
  const close = () => {
    setStale(null);
    setFollowed(null);
    onClose();
  };
  const open = (id: string) => {
    if (recordId !== null) setFollowed({ from: recordId, id });
  };
  return (
    <Drawer
      opened={recordId !== null}
      onClose={close}
      position="right"
      size={560}
      // A followed link may lead to a record this person can edit, or one they cannot.
      title={
        following || title === undefined
          ? shown && isEditable(shown, canChange)
            ? 'Edit Posting Record'
            : 'Posting record'
          : title
      }
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {record.error && !shown ? (
        <ErrorState error={record.error} onRetry={() => void record.refetch()} />
      ) : !shown ? (
        <LoadingState label="Loading the record" />
      ) : (
        <Stack gap="md">
          {stale?.id === shown.id && (
            <Alert color="orange" title="Someone else changed this record first" role="alert">
              {stale.message}
            </Alert>
          )}
          {holding && (
            <Alert color="blue" title="This record has changed since you opened it" role="status">
              <Text size="sm" mb="xs">
                It is now {latest.status}. Saving your changes here would be refused; show the record as it is now to
                carry on (what you changed here is dropped).
              </Text>
              <Button size="xs" variant="light" onClick={() => setHeld(latest)}>
                Show the record as it is now
              </Button>
            </Alert>
          )}
          {/* Keyed by version: a reload after someone else's change starts the form again from theirs. */}
          <EditForm
            key={`${shown.id}:${shown.version}`}
            record={shown}
            onSaved={close}
            onOpenRecord={open}
            onStale={(message) => {
              setStale({ id: shown.id, message });
              setTakeNext(true);
              void record.refetch();
            }}
          />
        </Stack>
      )}
    </Drawer>
  );
}
