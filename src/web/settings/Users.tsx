import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { passwordLinkOut, userOut } from '../../contract/users.ts';
import { apiKey, call, resourceOf } from '../api/call.ts';
import type { Role } from '../api/types.ts';
import { errorText } from '../common/errors.ts';
import { formatDate, formatDateTime } from '../common/format.ts';
import { ErrorState, LoadingState } from '../common/States.tsx';

type User = z.output<typeof userOut>;
type PasswordLink = z.output<typeof passwordLinkOut>;

const ROLE_OPTIONS = [
  { value: 'viewer', label: 'Viewer' },
  { value: 'accountant', label: 'Accountant' },
  { value: 'admin', label: 'Admin' },
];

const isRole = (value: string | null): value is Role =>
  value === 'viewer' || value === 'accountant' || value === 'admin';

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
      <Group
        align="flex-end"
        gap="sm"
        component="form"
        aria-label="Invite a user"
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate();
        }}
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
        <Button type="submit" loading={invite.isPending}>
          Invite
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {errorText(error)}
        </Alert>
      )}
      <Table aria-label="Users" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Since</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.data.items.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>{u.name}</Table.Td>
              <Table.Td>{u.email}</Table.Td>
              <Table.Td>
                <Select
                  aria-label={`Role of ${u.email}`}
                  data={ROLE_OPTIONS}
                  value={u.role}
                  onChange={(v) => isRole(v) && v !== u.role && change.mutate({ id: u.id, role: v })}
                  allowDeselect={false}
                  size="xs"
                  w={140}
                />
              </Table.Td>
              <Table.Td>
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
              </Table.Td>
              <Table.Td>{formatDate(u.createdAt)}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  {!u.disabledAt && (
                    <Button
                      size="compact-xs"
                      variant="light"
                      onClick={() => sendLink.mutate(u)}
                      aria-label={`${u.passwordSet ? 'Reset password of' : 'Resend invite to'} ${u.email}`}
                    >
                      {u.passwordSet ? 'Reset password' : 'Resend invite'}
                    </Button>
                  )}
                  <Button
                    size="compact-xs"
                    variant="light"
                    color={u.disabledAt ? 'green' : 'red'}
                    onClick={() => change.mutate({ id: u.id, active: u.disabledAt !== null })}
                    aria-label={`${u.disabledAt ? 'Reactivate' : 'Deactivate'} ${u.email}`}
                  >
                    {u.disabledAt ? 'Reactivate' : 'Deactivate'}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={shown !== null} onClose={() => setShown(null)} title="Set-password link" centered size="lg">
        <Text size="sm" mb="xs">
          {shown?.link.emailed
            ? `Mailed to ${shown.email}. `
            : `The mail to ${shown?.email} could not be sent: pass the link on yourself. `}
          It works once, until {shown ? formatDateTime(shown.link.expiresAt) : ''}, and is shown this once.
        </Text>
        <Code block data-testid="password-link" style={{ wordBreak: 'break-all' }}>
          {shown?.link.link}
        </Code>
        <Group justify="flex-end" mt="md">
          <CopyButton value={shown?.link.link ?? ''}>
            {({ copied, copy }) => (
              <Button variant="default" onClick={copy}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
          <Button onClick={() => setShown(null)}>Done</Button>
        </Group>
      </Modal>
    </Stack>
  );
}
