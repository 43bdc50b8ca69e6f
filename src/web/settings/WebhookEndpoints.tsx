import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  MultiSelect,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { webhookEndpointOut } from '../../contract/webhook-endpoints.ts';
import { apiKey, call, resourceOf } from '../api/call.ts';
import { errorText } from '../common/errors.ts';
import { formatDateTime } from '../common/format.ts';
import { ErrorState, LoadingState } from '../common/States.tsx';

type Endpoint = z.output<typeof webhookEndpointOut>;

/** Outbound webhooks (admin): the firm's endpoints, each with its event kinds and delivery log. */
export function WebhookEndpoints() {
  const queryClient = useQueryClient();
  const endpoints = useQuery({
    queryKey: apiKey('GET /webhook-endpoints'),
    queryFn: () => call('GET /webhook-endpoints'),
  });
  const [label, setLabel] = useState('');
  const [url, setUrl] = useState('');
  const [kinds, setKinds] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<Endpoint | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: [resourceOf('GET /webhook-endpoints')] });
  const create = useMutation({
    mutationFn: () =>
      call('POST /webhook-endpoints', {
        body: { label: label.trim(), url: url.trim(), kinds: kinds as Endpoint['kinds'] },
      }),
    onSuccess: async (answer) => {
      setSecret(answer.secret);
      setLabel('');
      setUrl('');
      setKinds([]);
      await refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (e: Endpoint) =>
      call('PATCH /webhook-endpoints/:id', { params: { id: e.id }, body: { enabled: !e.enabled } }),
    onSettled: refresh,
  });
  if (endpoints.isPending) return <LoadingState label="Loading webhook endpoints" />;
  if (endpoints.error) return <ErrorState error={endpoints.error} onRetry={() => void endpoints.refetch()} />;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        paybridge POSTs each event your systems ask for, signed in the Paybridge-Signature header exactly like the
        processor webhook it receives, and retries a refused one with a growing wait.
      </Text>
      <Group
        align="flex-end"
        gap="sm"
        component="form"
        aria-label="New webhook endpoint"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <TextInput label="Label" required value={label} onChange={(e) => setLabel(e.currentTarget.value)} w={180} />
        <TextInput
          label="URL"
          required
          placeholder="https://erp.example.com/paybridge"
          value={url}
          onChange={(e) => setUrl(e.currentTarget.value)}
          w={320}
        />
        <MultiSelect
          label="Events"
          data={endpoints.data.kinds}
          value={kinds}
          onChange={setKinds}
          placeholder="choose"
          w={320}
        />
        <Button type="submit" loading={create.isPending}>
          Add endpoint
        </Button>
      </Group>
      {create.error && (
        <Alert color="red" role="alert">
          {errorText(create.error)}
        </Alert>
      )}
      <Table aria-label="Webhook endpoints" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Label</Table.Th>
            <Table.Th>URL</Table.Th>
            <Table.Th>Events</Table.Th>
            <Table.Th>Waiting</Table.Th>
            <Table.Th>On</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {endpoints.data.items.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{e.label}</Table.Td>
              <Table.Td>
                <Code>{e.url}</Code>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {e.kinds.map((k) => (
                    <Badge key={k} variant="light" size="sm">
                      {k}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                {e.waiting}
                {e.gaveUp > 0 && ` (${e.gaveUp} given up)`}
              </Table.Td>
              <Table.Td>
                <Switch checked={e.enabled} onChange={() => toggle.mutate(e)} aria-label={`Endpoint ${e.label} on`} />
              </Table.Td>
              <Table.Td>
                <Button size="compact-xs" variant="light" onClick={() => setOpen(e)}>
                  Deliveries
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={secret !== null} onClose={() => setSecret(null)} title="Signing secret" centered size="lg">
        <Text size="sm" mb="xs">
          Copy it now: it is shown this once. Your system checks each delivery's signature with it.
        </Text>
        <Code block data-testid="new-webhook-secret">
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
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={open?.label} centered size="xl">
        {open && (
          <EndpointDeliveries endpoint={open} onSecret={setSecret} onChanged={refresh} onClosed={() => setOpen(null)} />
        )}
      </Modal>
    </Stack>
  );
}

function EndpointDeliveries({
  endpoint,
  onSecret,
  onChanged,
  onClosed,
}: {
  endpoint: Endpoint;
  onSecret: (secret: string) => void;
  onChanged: () => Promise<void>;
  onClosed: () => void;
}) {
  const queryClient = useQueryClient();
  const deliveries = useQuery({
    queryKey: apiKey('GET /webhook-endpoints/:id/deliveries', { params: { id: endpoint.id } }),
    queryFn: () => call('GET /webhook-endpoints/:id/deliveries', { params: { id: endpoint.id } }),
    refetchInterval: 3000,
  });
  const reload = () =>
    queryClient.invalidateQueries({ queryKey: [resourceOf('GET /webhook-endpoints/:id/deliveries')] });
  const test = useMutation({
    mutationFn: () => call('POST /webhook-endpoints/:id/test', { params: { id: endpoint.id } }),
    onSuccess: reload,
  });
  const rotate = useMutation({
    mutationFn: () => call('POST /webhook-endpoints/:id/secret', { params: { id: endpoint.id } }),
    onSuccess: (answer) => onSecret(answer.secret),
  });
  const remove = useMutation({
    mutationFn: () => call('DELETE /webhook-endpoints/:id', { params: { id: endpoint.id } }),
    onSuccess: async () => {
      onClosed();
      await onChanged();
    },
  });
  const failure = test.error ?? rotate.error ?? remove.error;
  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Button size="xs" onClick={() => test.mutate()} loading={test.isPending}>
          Send test event
        </Button>
        <Button size="xs" variant="default" onClick={() => rotate.mutate()} loading={rotate.isPending}>
          Rotate secret
        </Button>
        <Button size="xs" color="red" variant="light" onClick={() => remove.mutate()} loading={remove.isPending}>
          Delete endpoint
        </Button>
      </Group>
      {test.isSuccess && <Text size="sm">Test event queued: the scheduler sends it within a minute.</Text>}
      {failure && (
        <Alert color="red" role="alert">
          {errorText(failure)}
        </Alert>
      )}
      <Title order={4} size="h5">
        Delivery log
      </Title>
      {deliveries.isPending ? (
        <LoadingState label="Loading deliveries" />
      ) : deliveries.error ? (
        <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} />
      ) : deliveries.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing sent yet.
        </Text>
      ) : (
        <Table aria-label="Delivery log" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Event</Table.Th>
              <Table.Th>Attempt</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Duration</Table.Th>
              <Table.Th>Error</Table.Th>
              <Table.Th>Delivery</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {deliveries.data.items.map((d) => (
              <Table.Tr key={`${d.deliveryId}-${d.attempt}`}>
                <Table.Td>{formatDateTime(d.at)}</Table.Td>
                <Table.Td>{d.kind}</Table.Td>
                <Table.Td>{d.attempt}</Table.Td>
                <Table.Td>{d.statusCode ?? '—'}</Table.Td>
                <Table.Td>{d.durationMs} ms</Table.Td>
                <Table.Td>{d.error ?? ''}</Table.Td>
                <Table.Td>
                  {d.deliveryStatus === 'waiting' && d.nextAttemptAt
                    ? `retry ${formatDateTime(d.nextAttemptAt)}`
                    : d.deliveryStatus.replace('_', ' ')}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
