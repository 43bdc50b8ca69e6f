import { Button, Group, Modal, Text } from '@mantine/core';
import { useState } from 'react';
import { LongText } from '../common/LongText.tsx';
import { plural } from '../../domain/plural.ts';

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
      <Text mb="sm">Remove {plural(count, 'record')} from posting? They can be moved back to pending later.</Text>
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
          Remove {plural(count, 'record')}
        </Button>
      </Group>
    </Modal>
  );
}
