import { Alert, Drawer, Stack } from '@mantine/core';
import { useState } from 'react';
import { ErrorState, LoadingState } from '../common/States.tsx';
import { EditForm } from './EditForm.tsx';
import { useRecord } from './queries.ts';

export function EditDrawer({ recordId, onClose, title = 'Edit Posting Record' }: { recordId: string | null; onClose: () => void; title?: string }) {
  const record = useRecord(recordId);
  // Kept here, not in the form: the form starts afresh on the reloaded version and this must stay.
  const [stale, setStale] = useState<{ id: string; message: string } | null>(null);
  const close = () => {
    setStale(null);
    onClose();
  };
  return (
    <Drawer opened={recordId !== null} onClose={close} position="right" size={560} title={title} closeButtonProps={{ 'aria-label': 'Close' }}>
      {record.isPending ? (
        <LoadingState label="Loading the record" />
      ) : record.error ? (
        <ErrorState error={record.error} onRetry={() => void record.refetch()} />
      ) : (
        <Stack gap="md">
          {stale?.id === record.data.id && (
            <Alert color="orange" title="Someone else changed this record first" role="alert">
              Your changes were not saved. The record has been reloaded with their changes. ({stale.message})
            </Alert>
          )}
          {/* Keyed by version: a reload after someone else's change starts the form again from theirs. */}
          <EditForm
            key={`${record.data.id}:${record.data.version}`}
            record={record.data}
            onSaved={close}
            onStale={(message) => {
              setStale({ id: record.data.id, message });
              void record.refetch();
            }}
          />
        </Stack>
      )}
    </Drawer>
  );
}
