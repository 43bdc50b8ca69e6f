import { Stack, Text } from '@mantine/core';

/** A small label over its value, as a details panel lists the facts of one thing. */
export function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {/* A div, not a p: some values hold a badge or a line of their own. */}
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}
