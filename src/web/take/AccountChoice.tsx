import { Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useId } from 'react';
import type { Account } from '../../domain/types.ts';
import { ACCOUNT_OPTIONS } from '../common/format.ts';

export type { Account };

/** Which bank account the money goes to: the firm's operating account or client trust. */
export function AccountChoice({
  value,
  onChange,
  disabled,
}: {
  value: Account;
  onChange: (next: Account) => void;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={id}>
        Deposit account
      </Text>
      <SegmentedControl
        aria-labelledby={id}
        value={value}
        onChange={(v) => onChange(v === 'trust' ? 'trust' : 'operating')}
        data={ACCOUNT_OPTIONS}
        disabled={disabled}
      />
    </Stack>
  );
}

interface AmountAndAccountProps {
  label?: string;
  amount: string;
  onAmount: (next: string) => void;
  /** What is wrong with the amount typed, shown once something is typed. */
  problem: string | undefined;
  account: Account;
  onAccount: (next: Account) => void;
  disabled?: boolean;
  autoFocus?: boolean;
}

/** The amount in dollars beside the account it goes to, as the forms that take money ask them. */
export function AmountAndAccount({
  label = 'Amount ($)',
  amount,
  onAmount,
  problem,
  account,
  onAccount,
  disabled = false,
  autoFocus = false,
}: AmountAndAccountProps) {
  return (
    <Group grow align="flex-start">
      <TextInput
        label={label}
        placeholder="0.00"
        inputMode="decimal"
        required
        data-autofocus={autoFocus || undefined}
        value={amount}
        onChange={(e) => onAmount(e.currentTarget.value)}
        error={amount.trim() && problem ? problem : undefined}
        disabled={disabled}
      />
      <AccountChoice value={account} onChange={onAccount} disabled={disabled} />
    </Group>
  );
}
