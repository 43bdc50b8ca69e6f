import { SegmentedControl, Stack, Text } from '@mantine/core';
import { useId } from 'react';

export type Account = 'operating' | 'trust';

/** Which bank account the money goes to: the firm's operating account or client trust. */
export function AccountChoice({ value, onChange, disabled }: { value: Account; onChange: (next: Account) => void; disabled?: boolean }) {
  const id = useId();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={id}>Deposit account</Text>
      <SegmentedControl
        aria-labelledby={id}
        value={value}
        onChange={(v) => onChange(v === 'trust' ? 'trust' : 'operating')}
        data={[
          { value: 'operating', label: 'Operating' },
          { value: 'trust', label: 'Trust' },
        ]}
        disabled={disabled}
      />
    </Stack>
  );
}
