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
