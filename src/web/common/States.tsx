import { Alert, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { errorText } from './errors.ts';

export function LoadingState({ label = 'Loading' }: { label?: string }) {
  return (
    <Center p="xl">
      <Group gap="xs">
        <Loader size="sm" aria-hidden />
        <Text c="dimmed" role="status">
          {label}…
        </Text>
      </Group>
    </Center>
  );
}

export function EmptyState({ children }: { children: React.ReactNode }) {
  return (
    <Center p="xl">
      <Text c="dimmed" role="status">
        {children}
      </Text>
    </Center>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Stack p="md">
      <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title="Could not load this" role="alert">
        {errorText(error)}
      </Alert>
      {onRetry && (
        <Button variant="default" w="fit-content" onClick={onRetry}>
          Try again
        </Button>
      )}
    </Stack>
  );
}

/** What an action came to, told in words: a success or a refusal. */
export interface Outcome {
  ok: boolean;
  text: string;
}

/** An action's outcome above a list, green or red, until the person dismisses it. */
export function OutcomeAlert({ outcome, onDismiss }: { outcome: Outcome | null; onDismiss: () => void }) {
  if (!outcome) return null;
  return (
    <Alert
      color={outcome.ok ? 'green' : 'red'}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onDismiss}
      role={outcome.ok ? 'status' : 'alert'}
    >
      {outcome.text}
    </Alert>
  );
}

/** Why an action (a save, a send) was refused, in words, until the next try; nothing when it was not. */
export function FailedAlert({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert">
      {errorText(error)}
    </Alert>
  );
}
