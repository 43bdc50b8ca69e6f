import { Drawer } from '@mantine/core';
import { ErrorState, LoadingState } from '../common/States.tsx';
import { EditForm } from './EditForm.tsx';
import { useRecord } from './queries.ts';

export function EditDrawer({ recordId, onClose, title = 'Edit Posting Record' }: { recordId: string | null; onClose: () => void; title?: string }) {
  const record = useRecord(recordId);
  return (
    <Drawer opened={recordId !== null} onClose={onClose} position="right" size={560} title={title} closeButtonProps={{ 'aria-label': 'Close' }}>
      {record.isPending ? (
        <LoadingState label="Loading the record" />
      ) : record.error ? (
        <ErrorState error={record.error} onRetry={() => void record.refetch()} />
      ) : (
        // Keyed by version: a reload after someone else's change starts the form again from theirs.
        <EditForm key={`${record.data.id}:${record.data.version}`} record={record.data} onSaved={onClose} onStale={() => void record.refetch()} />
      )}
    </Drawer>
  );
}
