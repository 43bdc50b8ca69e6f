import { Badge, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { tokenOut } from '../../contract/tokens.ts';
import { apiKey, call, resourceOf } from '../api/call.ts';
import { formatDateTime } from '../common/format.ts';
import { ErrorState, FailedAlert, LoadingState } from '../common/States.tsx';
import { NewItemForm, SettingsTable, ShownOnce, type Column } from './SettingsList.tsx';

type Token = z.output<typeof tokenOut>;

const tokenColumns = (onRevoke: (token: Token) => void): Column<Token>[] => [
  { header: 'Kind', cell: (t) => <Badge variant="light">{t.kind}</Badge> },
  { header: 'Label', cell: (t) => t.label || '—' },
  { header: 'Acts as', cell: (t) => t.userEmail ?? '—' },
  { header: 'Created', cell: (t) => formatDateTime(t.createdAt) },
  { header: 'Last used', cell: (t) => (t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'never') },
  {
    header: 'Status',
    cell: (t) =>
      t.revokedAt ? (
        <Text size="sm" c="dimmed">
          revoked {formatDateTime(t.revokedAt)}
        </Text>
      ) : (
        <Button
          size="compact-xs"
          color="red"
          variant="light"
          onClick={() => onRevoke(t)}
          aria-label={`Revoke ${t.kind} token ${t.label}`}
        >
          Revoke
        </Button>
      ),
  },
];

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
      <NewItemForm
        label="New token"
        submitLabel="Create token"
        pending={create.isPending}
        onSubmit={() => create.mutate()}
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
      </NewItemForm>
      <FailedAlert error={create.error} />
      <FailedAlert error={revoke.error} />
      <SettingsTable label="Tokens" rows={tokens.data.items} rowKey={(t) => t.id} columns={tokenColumns(setRevoking)} />
      <ShownOnce title="New token" value={secret} testId="new-token" onClose={() => setSecret(null)}>
        Copy it now: it is shown this once and kept only as a hash.
      </ShownOnce>
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
