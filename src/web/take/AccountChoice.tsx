import { Group, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { ACCOUNTS, type Account } from '../../domain/types.ts';
import { apiKey, call } from '../api/call.ts';
import { ACCOUNT_LABELS } from '../common/format.ts';

export type { Account };

/** Where the money goes: a deposit account, of the kind `account` says; without an id, the firm's default of that kind. */
export interface DepositChoice {
  account: Account;
  depositAccountId?: string;
}

export const OPERATING: DepositChoice = { account: 'operating' };

/** The firm's deposit accounts (operating first, each kind's default first), as every screen that picks one reads them. */
export function useDepositAccounts() {
  return useQuery({ queryKey: apiKey('GET /deposit-accounts'), queryFn: () => call('GET /deposit-accounts') });
}

interface Option {
  value: string;
  label: string;
  kind: Account;
  id?: string;
}

/** The active accounts to choose from; until they are read (or should that fail), each kind stands for its default. */
export function useDepositOptions(): Option[] {
  const accounts = useDepositAccounts();
  const active = (accounts.data?.items ?? []).filter((a) => !a.archived);
  if (active.length === 0) return ACCOUNTS.map((kind) => ({ value: kind, label: ACCOUNT_LABELS[kind], kind }));
  return active.map((a) => ({ value: a.id, label: a.name, kind: a.kind, id: a.id }));
}

/** The option a choice stands for: the account it names, or its kind's default. */
export function selectedOption(options: Option[], choice: DepositChoice): string | null {
  const named = options.find((o) => o.id !== undefined && o.id === choice.depositAccountId);
  return (named ?? options.find((o) => o.kind === choice.account))?.value ?? null;
}

/** Options grouped by kind, as a select lists them. */
export function groupedOptions(options: Option[]) {
  return ACCOUNTS.map((kind) => ({
    group: ACCOUNT_LABELS[kind],
    items: options.filter((o) => o.kind === kind).map(({ value, label }) => ({ value, label })),
  })).filter((g) => g.items.length > 0);
}

/** The choice an option makes. */
export function choiceOf(options: Option[], value: string | null): DepositChoice | null {
  const option = options.find((o) => o.value === value);
  if (!option) return null;
  return option.id === undefined ? { account: option.kind } : { account: option.kind, depositAccountId: option.id };
}

/**
 * Which deposit account the money goes to, grouped by kind: a firm with one account of
 * each kind picks between them side by side, one with more picks from a grouped list.
 */
export function AccountChoice({
  value,
  onChange,
  disabled,
}: {
  value: DepositChoice;
  onChange: (next: DepositChoice) => void;
  disabled?: boolean;
}) {
  const id = useId();
  const options = useDepositOptions();
  const selected = selectedOption(options, value);
  const pick = (v: string | null) => {
    const next = choiceOf(options, v);
    if (next) onChange(next);
  };
  if (options.length > 2) {
    return (
      <Select
        label="Deposit account"
        data={groupedOptions(options)}
        value={selected}
        onChange={pick}
        allowDeselect={false}
        disabled={disabled}
      />
    );
  }
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={id}>
        Deposit account
      </Text>
      <SegmentedControl
        // Made anew when the firm's accounts replace the kinds shown until they are read: the
        // control's indicator does not follow its options changing under it, and was left hidden.
        key={options.map((o) => o.value).join(' ')}
        aria-labelledby={id}
        value={selected ?? ''}
        onChange={pick}
        data={options.map(({ value: v, label }) => ({ value: v, label }))}
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
  deposit: DepositChoice;
  onDeposit: (next: DepositChoice) => void;
  disabled?: boolean;
  autoFocus?: boolean;
}

/** The amount in dollars beside the account it goes to, as the forms that take money ask them. */
export function AmountAndAccount({
  label = 'Amount ($)',
  amount,
  onAmount,
  problem,
  deposit,
  onDeposit,
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
      <AccountChoice value={deposit} onChange={onDeposit} disabled={disabled} />
    </Group>
  );
}
