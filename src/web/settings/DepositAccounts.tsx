import {
  Badge,
  Button,
  Group,
  Modal,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import type { z } from 'zod';
import type { depositAccountOut } from '../../contract/deposit-accounts.ts';
import { ACCOUNTS, isOneOf, type Account } from '../../domain/types.ts';
import { call, resourceOf } from '../api/call.ts';
import { ACCOUNT_LABELS, ACCOUNT_OPTIONS } from '../common/format.ts';
import { LongText } from '../common/LongText.tsx';
import { ErrorState, FailedAlert, LoadingState } from '../common/States.tsx';
import { useDepositAccounts } from '../take/AccountChoice.tsx';
import { SettingsTable, type Column } from './SettingsList.tsx';

type DepositAccount = z.output<typeof depositAccountOut>;

/** What an admin types for an account: its name, the MMS's codes and the default A/R message. */
interface Draft {
  name: string;
  bankAccountCode: string;
  ledgerCode: string;
  transType: string;
  defaultMemo: string;
}

const CODE_FIELDS = [
  ['bankAccountCode', 'Bank account code'],
  ['ledgerCode', 'Ledger (GL) code'],
  ['transType', 'Transaction type'],
] as const satisfies readonly (readonly [keyof Draft, string])[];

const EMPTY: Draft = { name: '', bankAccountCode: '', ledgerCode: '', transType: '', defaultMemo: '' };

const draftOf = (a: DepositAccount): Draft => ({
  name: a.name,
  bankAccountCode: a.bankAccountCode,
  ledgerCode: a.ledgerCode,
  transType: a.transType,
  defaultMemo: a.defaultMemo,
});

const accountColumns = (act: {
  update: (change: { id: string; isDefault?: true; archived?: boolean }) => void;
  edit: (account: DepositAccount) => void;
}): Column<DepositAccount>[] => [
  { header: 'Name', cell: (a) => a.name },
  {
    header: 'Kind',
    cell: (a) => (
      <Badge variant="light" color={a.kind === 'trust' ? 'grape' : 'blue'}>
        {ACCOUNT_LABELS[a.kind]}
      </Badge>
    ),
  },
  ...CODE_FIELDS.map(([key, label]): Column<DepositAccount> => ({
    header: label,
    cell: (a) => a[key] || '—',
    mono: true,
  })),
  { header: 'Default message', cell: (a) => a.defaultMemo || '—' },
  {
    header: 'Default',
    cell: (a) =>
      a.isDefault ? (
        <Badge variant="outline">Default</Badge>
      ) : (
        <Button
          size="compact-xs"
          variant="subtle"
          disabled={a.archived}
          onClick={() => act.update({ id: a.id, isDefault: true })}
        >
          Make default
        </Button>
      ),
  },
  {
    header: 'Active',
    cell: (a) => (
      <Switch
        aria-label={`${a.name} active`}
        checked={!a.archived}
        disabled={a.isDefault}
        onChange={(e) => act.update({ id: a.id, archived: !e.currentTarget.checked })}
      />
    ),
  },
  {
    header: <VisuallyHidden>Actions</VisuallyHidden>,
    cell: (a) => (
      <Button size="compact-xs" variant="light" onClick={() => act.edit(a)}>
        Edit
      </Button>
    ),
  },
];

/**
 * Settings → Deposit accounts: the firm's operating and trust accounts with the codes its
 * MMS needs on each receipt (paybridge-csv version 2 prints them) and the A/R message a
 * new record starts with. The default of each kind takes what names no account.
 */
export function DepositAccounts() {
  const queryClient = useQueryClient();
  const accounts = useDepositAccounts();
  const [editing, setEditing] = useState<DepositAccount | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: [resourceOf('GET /deposit-accounts')] });
  const update = useMutation({
    mutationFn: ({ id, ...body }: { id: string; isDefault?: true; archived?: boolean }) =>
      call('PATCH /deposit-accounts/:id', { params: { id }, body }),
    onSettled: refresh,
  });
  if (accounts.isPending) return <LoadingState label="Loading deposit accounts" />;
  if (accounts.error) return <ErrorState error={accounts.error} onRetry={() => void accounts.refetch()} />;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Each payment goes to a deposit account. Its codes go into every line of a paybridge CSV version 2 file, as they
        are when the batch is made; its default message is the memo a new posting record starts with.
      </Text>
      <FailedAlert error={update.error} />
      <SettingsTable
        label="Deposit accounts"
        rows={accounts.data.items}
        rowKey={(a) => a.id}
        columns={accountColumns({ update: (change) => update.mutate(change), edit: setEditing })}
      />
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={`Edit ${editing?.name ?? ''}`}>
        {editing && <AccountForm account={editing} onDone={() => setEditing(null)} />}
      </Modal>
      <Title order={3} size="h5">
        New deposit account
      </Title>
      <AccountForm key={accounts.data.items.length} onDone={() => undefined} />
    </Stack>
  );
}

/** Adds an account (no `account` given) or edits one. */
function AccountForm({ account, onDone }: { account?: DepositAccount; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(account ? draftOf(account) : EMPTY);
  const [kind, setKind] = useState<Account>('operating');
  const save = useMutation({
    mutationFn: () => {
      const body = { ...draft, name: draft.name.trim() };
      return account
        ? call('PATCH /deposit-accounts/:id', { params: { id: account.id }, body })
        : call('POST /deposit-accounts', { body: { ...body, kind } });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: [resourceOf('GET /deposit-accounts')] });
      onDone();
    },
  });
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const set = (key: keyof Draft, value: string) => setDraft((d) => ({ ...d, [key]: value }));
  return (
    <form onSubmit={submit} aria-label={account ? `Edit ${account.name}` : 'New deposit account'}>
      <Stack gap="sm" maw={520}>
        <Group grow align="flex-start">
          <TextInput label="Name" required value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} />
          {!account && (
            <Select
              label="Kind"
              data={ACCOUNT_OPTIONS}
              value={kind}
              onChange={(v) => isOneOf(ACCOUNTS, v) && setKind(v)}
              allowDeselect={false}
            />
          )}
        </Group>
        <Group grow align="flex-start">
          {CODE_FIELDS.map(([key, label]) => (
            <TextInput
              key={key}
              label={label}
              description="up to 30 characters"
              maxLength={30}
              value={draft[key]}
              onChange={(e) => set(key, e.currentTarget.value)}
            />
          ))}
        </Group>
        <LongText
          label="Default A/R message"
          value={draft.defaultMemo}
          onChange={(value) => set('defaultMemo', value)}
        />
        <FailedAlert error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {account ? 'Save account' : 'Add account'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
