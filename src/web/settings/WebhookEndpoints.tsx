import {
  Badge,
  Button,
  Code,
  Group,
  Modal,
  MultiSelect,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type { webhookAttemptOut, webhookEndpointOut } from '../../contract/webhook-endpoints.ts';
import { apiKey, call, resourceOf } from '../api/call.ts';
import { formatDateTime } from '../common/format.ts';
import { ErrorState, FailedAlert, LoadingState } from '../common/States.tsx';
import { NewItemForm, SettingsTable, ShownOnce, type Column } from './SettingsList.tsx';

type Endpoint = z.output<typeof webhookEndpointOut>;
type Delivery = z.output<typeof webhookAttemptOut>;

const endpointColumns = (act: { toggle: (e: Endpoint) => void; open: (e: Endpoint) => void }): Column<Endpoint>[] => [
  { header: 'Label', cell: (e) => e.label },
  { header: 'URL', cell: (e) => <Code>{e.url}</Code> },
  {
    header: 'Events',
    cell: (e) => (
      <Group gap={4}>
        {e.kinds.map((k) => (
          <Badge key={k} variant="light" size="sm">
            {k}
          </Badge>
        ))}
      </Group>
    ),
  },
  { header: 'Waiting', cell: (e) => `${e.waiting}${e.gaveUp > 0 ? ` (${e.gaveUp} given up)` : ''}` },
  {
    header: 'On',
    cell: (e) => <Switch checked={e.enabled} onChange={() => act.toggle(e)} aria-label={`Endpoint ${e.label} on`} />,
  },
  {
    header: <VisuallyHidden>Actions</VisuallyHidden>,
    cell: (e) => (
      <Button size="compact-xs" variant="light" onClick={() => act.open(e)}>
        Deliveries
      </Button>
    ),
  },
];

const DELIVERY_COLUMNS: Column<Delivery>[] = [
  { header: 'Time', cell: (d) => formatDateTime(d.at) },
  { header: 'Event', cell: (d) => d.kind },
  { header: 'Attempt', cell: (d) => d.attempt },
  { header: 'Status', cell: (d) => d.statusCode ?? '—' },
  { header: 'Duration', cell: (d) => `${d.durationMs} ms` },
  { header: 'Error', cell: (d) => d.error ?? '' },
  {
    header: 'Delivery',
    cell: (d) =>
      d.deliveryStatus === 'waiting' && d.nextAttemptAt
        ? `retry ${formatDateTime(d.nextAttemptAt)}`
        : d.deliveryStatus.replace('_', ' '),
  },
];

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
      <NewItemForm
        label="New webhook endpoint"
        submitLabel="Add endpoint"
        pending={create.isPending}
        onSubmit={() => create.mutate()}
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
      </NewItemForm>
      <FailedAlert error={create.error} />
      <SettingsTable
        label="Webhook endpoints"
        rows={endpoints.data.items}
        rowKey={(e) => e.id}
        columns={endpointColumns({ toggle: (e) => toggle.mutate(e), open: setOpen })}
        empty="No endpoint yet: add one above for paybridge to send your systems the events they ask for."
      />
      <ShownOnce title="Signing secret" value={secret} testId="new-webhook-secret" onClose={() => setSecret(null)}>
        Copy it now: it is shown this once. Your system checks each delivery's signature with it.
      </ShownOnce>
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
      <FailedAlert error={failure} />
      <Title order={4} size="h5">
        Delivery log
      </Title>
      {deliveries.isPending ? (
        <LoadingState label="Loading deliveries" />
      ) : deliveries.error ? (
        <ErrorState error={deliveries.error} onRetry={() => void deliveries.refetch()} />
      ) : (
        <SettingsTable
          label="Delivery log"
          rows={deliveries.data.items}
          rowKey={(d) => `${d.deliveryId}-${d.attempt}`}
          columns={DELIVERY_COLUMNS}
          empty="Nothing sent yet."
        />
      )}
    </Stack>
  );
}
