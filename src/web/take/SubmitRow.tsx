import { Button, Group, Text } from '@mantine/core';

interface Props {
  /** What still stops the form from being sent; null when nothing does. */
  problem: string | null;
  /** Said in the problem's place once there is none. */
  hint?: string;
  busy: boolean;
  /** Shows a Cancel button beside the submit button (the forms in a dialog). */
  onCancel?: () => void;
  mt?: string;
  /** The submit button's words. */
  children: React.ReactNode;
}

/** The foot of a form that takes or asks for money: what still stops it, and its submit button, disabled till nothing does. */
export function SubmitRow({ problem, hint = '', busy, onCancel, mt, children }: Props) {
  const submit = (
    <Button type="submit" disabled={problem !== null} loading={busy}>
      {children}
    </Button>
  );
  return (
    <Group justify="space-between" wrap="nowrap" mt={mt}>
      <Text size="xs" c="dimmed">
        {problem ?? hint}
      </Text>
      {onCancel ? (
        <Group gap="xs" wrap="nowrap">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          {submit}
        </Group>
      ) : (
        submit
      )}
    </Group>
  );
}
