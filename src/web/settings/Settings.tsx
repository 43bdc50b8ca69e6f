import { Stack, Text, Title } from '@mantine/core';

export function Settings() {
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">Settings</Title>
      <Text c="dimmed">Firm settings, payment pages and tokens arrive with their API routes.</Text>
    </Stack>
  );
}
