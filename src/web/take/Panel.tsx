import { Paper, Stack, Title } from '@mantine/core';

/** A bordered panel of a payment form, or of what it made: an optional heading over its contents. */
export function Panel({ title, maw, children }: { title?: string; maw?: number; children: React.ReactNode }) {
  return (
    <Paper withBorder p="md" maw={maw}>
      <Stack gap="sm">
        {title && (
          <Title order={3} size="h5">
            {title}
          </Title>
        )}
        {children}
      </Stack>
    </Paper>
  );
}
