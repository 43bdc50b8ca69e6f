import { Button, Group, Modal, Text } from '@mantine/core';
import { useState } from 'react';
import { LongText } from '../common/LongText.tsx';

export function RemoveDialog({
  count,
  opened,
  onClose,
  onConfirm,
}: {
  count: number;
  opened: boolean;
  onClose: () => void;
  onConfirm: (note: string) => void;
}) {
  const [note, setNote] = useState('');
  return (
    <Modal opened={opened} onClose={onClose} title="Remove Posts" centered>
      <Text mb="sm">
        Remove {count} {count === 1 ? 'record' : 'records'} from posting? They can be moved back to pending later.
      </Text>
      <LongText label="Note (optional)" placeholder="Entered by hand" value={note} onChange={setNote} data-autofocus />
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button
          color="red"
          onClick={() => {
            onConfirm(note);
            setNote('');
            onClose();
          }}
        >
          Remove {count} {count === 1 ? 'record' : 'records'}
        </Button>
      </Group>
    </Modal>
  );
}
