import { Badge, Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { passwordLinkOut, userOut } from '../../contract/users.ts';
import { apiKey, call, resourceOf } from '../api/call.ts';
import type { Role } from '../api/types.ts';
import { formatDate, formatDateTime } from '../common/format.ts';
import { ErrorState, FailedAlert, LoadingState } from '../common/States.tsx';
import { NewItemForm, SettingsTable, ShownOnce, type Column } from './SettingsList.tsx';

type User = z.output<typeof userOut>;
type PasswordLink = z.output<typeof passwordLinkOut>;

const ROLE_OPTIONS = [
  { value: 'viewer', label: 'Viewer' },
  { value: 'accountant', label: 'Accountant' },
  { value: 'admin', label: 'Admin' },
];

const isRole = (value: string | null): value is Role =>
  value === 'viewer' || value === 'accountant' || value === 'admin';

const userColumns = (act: {
  changeRole: (user: User, role: Role) => void;
  setActive: (user: User, active: boolean) => void;
  sendLink: (user: User) => void;
}): Column<User>[] => [
  { header: 'Name', cell: (u) => u.name },
  { header: 'Email', cell: (u) => u.email },
  {
    header: 'Role',
    cell: (u) => (
      <Select
        aria-label={`Role of ${u.email}`}
        data={ROLE_OPTIONS}
        value={u.role}
        onChange={(v) => isRole(v) && v !== u.role && act.changeRole(u, v)}
        allowDeselect={false}
        size="xs"
        w={140}
      />
    ),
  },
  {
    header: 'Status',
    cell: (u) => (
      <>
        {u.disabledAt ? (
          <Badge color="gray">deactivated</Badge>
        ) : u.passwordSet ? (
          <Badge color="green" variant="light">
            active
          </Badge>
        ) : (
          <Badge color="yellow" variant="light">
            invited
          </Badge>
        )}
        {u.twoFactorEnabled && (
          <Badge variant="light" ml={4}>
            2FA
          </Badge>
        )}
      </>
    ),
  },
  { header: 'Since', cell: (u) => formatDate(u.createdAt) },
  {
    header: 'Actions',
    cell: (u) => (
      <Group gap={4} wrap="nowrap">
        {!u.disabledAt && (
          <Button
            size="compact-xs"
            variant="light"
            onClick={() => act.sendLink(u)}
            aria-label={`${u.passwordSet ? 'Reset password of' : 'Resend invite to'} ${u.email}`}
          >
            {u.passwordSet ? 'Reset password' : 'Resend invite'}
          </Button>
        )}
        <Button
          size="compact-xs"
          variant="light"
          color={u.disabledAt ? 'green' : 'red'}
          onClick={() => act.setActive(u, u.disabledAt !== null)}
          aria-label={`${u.disabledAt ? 'Reactivate' : 'Deactivate'} ${u.email}`}
        >
          {u.disabledAt ? 'Reactivate' : 'Deactivate'}
        </Button>
      </Group>
    ),
  },
];

/** The firm's users: invite by email, change a role, deactivate or reactivate, send a password link. */
export function Users() {
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: apiKey('GET /users'), queryFn: () => call('GET /users') });
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [shown, setShown] = useState<{ email: string; link: PasswordLink } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: [resourceOf('GET /users')] });
  const invite = useMutation({
    mutationFn: () =>
      call('POST /users', { body: { email: email.trim(), role, ...(name.trim() ? { name: name.trim() } : {}) } }),
    onSuccess: async (answer) => {
      setShown({ email: answer.user.email, link: answer.invite });
      setEmail('');
      setName('');
      await refresh();
    },
  });
  const change = useMutation({
    mutationFn: (input: { id: string; role?: Role; active?: boolean }) =>
      call('PATCH /users/:id', {
        params: { id: input.id },
        body: {
          ...(input.role ? { role: input.role } : {}),
          ...(input.active === undefined ? {} : { active: input.active }),
        },
      }),
    onSettled: refresh,
  });
  const sendLink = useMutation({
    mutationFn: (user: User) => call('POST /users/:id/password-link', { params: { id: user.id }, body: {} }),
    onSuccess: (link, user) => setShown({ email: user.email, link }),
  });
  if (users.isPending) return <LoadingState label="Loading users" />;
  if (users.error) return <ErrorState error={users.error} onRetry={() => void users.refetch()} />;
  const error = invite.error ?? change.error ?? sendLink.error;
  return (
    <Stack gap="md">
      <NewItemForm
        label="Invite a user"
        submitLabel="Invite"
        pending={invite.isPending}
        onSubmit={() => invite.mutate()}
      >
        <TextInput
          label="Email"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          w={260}
        />
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} w={200} />
        <Select
          label="Role"
          data={ROLE_OPTIONS}
          value={role}
          onChange={(v) => isRole(v) && setRole(v)}
          allowDeselect={false}
          w={160}
        />
      </NewItemForm>
      <FailedAlert error={error} />
      <SettingsTable
        label="Users"
        rows={users.data.items}
        rowKey={(u) => u.id}
        columns={userColumns({
          changeRole: (u, role) => change.mutate({ id: u.id, role }),
          setActive: (u, active) => change.mutate({ id: u.id, active }),
          sendLink: (u) => sendLink.mutate(u),
        })}
      />
      <ShownOnce
        title="Set-password link"
        value={shown?.link.link ?? null}
        testId="password-link"
        onClose={() => setShown(null)}
      >
        {shown?.link.emailed
          ? `Mailed to ${shown.email}. `
          : `The mail to ${shown?.email} could not be sent: pass the link on yourself. `}
        It works once, until {shown ? formatDateTime(shown.link.expiresAt) : ''}, and is shown this once.
      </ShownOnce>
    </Stack>
  );
}
