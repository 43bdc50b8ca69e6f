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
import type { tokenOut } from '../../contract/tokens.ts';
import { apiKey, call, resourceOf } from '../api/call.ts';
import { errorText } from '../common/errors.ts';
import { formatDateTime } from '../common/format.ts';
import { ErrorState, LoadingState } from '../common/States.tsx';

type Token = z.output<typeof tokenOut>;

export function Tokens() {
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: apiKey('GET /tokens'), queryFn: () => call('GET /tokens') });
  const [kind, setKind] = useState<'agent' | 'user'>('agent');
  const [label, setLabel] = useState('');
  const [email, setEmail] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: [resourceOf('GET /tokens')] });
  const create = useMutation({
    mutationFn: () =>
      call('POST /tokens', {
        body: {
          kind,
          ...(label.trim() ? { label: label.trim() } : {}),
          ...(kind === 'user' ? { email: email.trim() } : {}),
        },
      }),
    onSuccess: async (answer) => {
      setSecret(answer.token);
      setLabel('');
      setEmail('');
      await refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => call('DELETE /tokens/:id', { params: { id } }),
    onSettled: async () => {
      setRevoking(null);
      await refresh();
    },
  });
  if (tokens.isPending) return <LoadingState label="Loading tokens" />;
  if (tokens.error) return <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />;
  return (
    <Stack gap="md">
      <Group
        align="flex-end"
        gap="sm"
        component="form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
        aria-label="New token"
      >
        <Select
          label="Kind"
          data={[
            { value: 'agent', label: 'Agent (Connect service)' },
            { value: 'user', label: 'User (scripts)' },
          ]}
          value={kind}
          onChange={(v) => setKind(v === 'user' ? 'user' : 'agent')}
          allowDeselect={false}
          w={220}
        />
        <TextInput
          label="Label"
          placeholder="server room"
          value={label}
          onChange={(e) => setLabel(e.currentTarget.value)}
          w={200}
        />
        {kind === 'user' && (
          <TextInput
            label="Acts as user (email)"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            w={260}
          />
        )}
        <Button type="submit" loading={create.isPending}>
          Create token
        </Button>
      </Group>
      {create.error && (
        <Alert color="red" role="alert">
          {errorText(create.error)}
        </Alert>
      )}
      {revoke.error && (
        <Alert color="red" role="alert">
          {errorText(revoke.error)}
        </Alert>
      )}
      <Table aria-label="Tokens" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Label</Table.Th>
            <Table.Th>Acts as</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.data.items.map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td>
                <Badge variant="light">{t.kind}</Badge>
              </Table.Td>
              <Table.Td>{t.label || '—'}</Table.Td>
              <Table.Td>{t.userEmail ?? '—'}</Table.Td>
              <Table.Td>{formatDateTime(t.createdAt)}</Table.Td>
              <Table.Td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'never'}</Table.Td>
              <Table.Td>
                {t.revokedAt ? (
                  <Text size="sm" c="dimmed">
                    revoked {formatDateTime(t.revokedAt)}
                  </Text>
                ) : (
                  <Button
                    size="compact-xs"
                    color="red"
                    variant="light"
                    onClick={() => setRevoking(t)}
                    aria-label={`Revoke ${t.kind} token ${t.label}`}
                  >
                    Revoke
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={secret !== null} onClose={() => setSecret(null)} title="New token" centered size="lg">
        <Text size="sm" mb="xs">
          Copy it now: it is shown this once and kept only as a hash.
        </Text>
        <Code block data-testid="new-token">
          {secret}
        </Code>
        <Group justify="flex-end" mt="md">
          <CopyButton value={secret ?? ''}>
            {({ copied, copy }) => (
              <Button variant="default" onClick={copy}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
          <Button onClick={() => setSecret(null)}>Done</Button>
        </Group>
      </Modal>
      <Modal opened={revoking !== null} onClose={() => setRevoking(null)} title="Revoke token" centered>
        <Text>
          Revoke the {revoking?.kind} token “{revoking?.label}”? Anything using it is refused from then on.
        </Text>
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={() => setRevoking(null)}>
            Cancel
          </Button>
          <Button color="red" loading={revoke.isPending} onClick={() => revoking && revoke.mutate(revoking.id)}>
            Revoke
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}
