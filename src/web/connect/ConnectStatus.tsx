import { Alert, Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ConnectAgent } from '../api/types.ts';
import { useNow } from '../common/clock.ts';
import { Fact } from '../common/Fact.tsx';
import { formatAgo, formatDateTime, formatDuration } from '../common/format.ts';
import { EmptyState, ErrorState, LoadingState } from '../common/States.tsx';
import { usualDeliveryText } from './deliveryText.ts';
import { useConnectStatus } from './queries.ts';
import { plural } from '../../domain/plural.ts';

const KINDS: Record<string, string> = {
  postgres: 'PostgreSQL (the MMS database)',
  none: 'Nothing (no sync)',
  ledes: 'LEDES files',
  'file-drop': 'File drop folder',
  procedure: 'Stored procedure in the MMS',
};
const kind = (value: string | null, none: string) => (value ? (KINDS[value] ?? value) : none);

function When({ at }: { at: string }) {
  const now = useNow();
  return (
    <>
      {formatAgo(at, now)}{' '}
      <Text span size="xs" c="dimmed">
        ({formatDateTime(at)})
      </Text>
    </>
  );
}

function AgentCard({ agent }: { agent: ConnectAgent }) {
  const { lastSync, lastDelivery } = agent;
  const name = agent.label.trim() || 'Agent token without a label';
  if (!agent.lastSeenAt) {
    return (
      <Card withBorder padding="sm" component="section" aria-label={`Agent ${name}`}>
        <Title order={4} size="h5">
          {name}
        </Title>
        <Text size="sm" c="dimmed">
          Never in contact: no agent has used this token yet.
        </Text>
      </Card>
    );
  }
  return (
    <Card withBorder padding="sm" component="section" aria-label={`Agent ${name}`}>
      <Group justify="space-between" mb="xs">
        <Title order={4} size="h5">
          {name}
        </Title>
        {agent.version && (
          <Badge variant="light" color="gray">
            version {agent.version}
          </Badge>
        )}
      </Group>
      <SimpleGrid cols={3} spacing="sm" verticalSpacing="xs">
        <Fact label="Last contact">
          <When at={agent.lastSeenAt} />
        </Fact>
        <Fact label="Host">{agent.host ?? '—'}</Fact>
        <Fact label="Looks for batches every">{agent.pollSeconds ? `${agent.pollSeconds} s at the latest` : '—'}</Fact>
        <Fact label="Reads the MMS from">{kind(agent.source, '—')}</Fact>
        <Fact label="Delivers batches to">{kind(agent.sink, '—')}</Fact>
        <Fact label="Last delivery">
          {lastDelivery ? (
            <>
              Batch #{lastDelivery.seq}{' '}
              <Text span ff="monospace" size="xs">
                {lastDelivery.fileName}
              </Text>
              , <When at={lastDelivery.at} />
            </>
          ) : (
            'None yet'
          )}
        </Fact>
      </SimpleGrid>
      <Stack gap={0} mt="xs">
        <Text size="xs" c="dimmed">
          Last sync from the MMS
        </Text>
        {lastSync ? (
          <Text size="sm" component="div">
            <When at={lastSync.at} />: read {plural(lastSync.received.clients, 'client')},{' '}
            {plural(lastSync.received.matters, 'matter')} and {plural(lastSync.received.invoices, 'invoice')}; changed{' '}
            {plural(lastSync.changed.clients, 'client')}, {plural(lastSync.changed.matters, 'matter')} and{' '}
            {plural(lastSync.changed.invoices, 'invoice')}, closed {lastSync.changed.closed}.
          </Text>
        ) : (
          <Text size="sm">None yet</Text>
        )}
      </Stack>
    </Card>
  );
}

function Waiting({ count, since }: { count: number; since: string | null }) {
  const now = useNow();
  if (count === 0) return <Text size="sm">No batch is waiting for the agent.</Text>;
  const waited = since ? `, the oldest for ${formatDuration((now - Date.parse(since)) / 1000)}` : '';
  return (
    <Text size="sm">
      {plural(count, 'batch is', 'batches are')} waiting for the agent{waited}.
    </Text>
  );
}

/** Settings → Connect status, for every signed-in user (SPEC §5.2): what each agent last did and what waits for it. */
export function ConnectStatus() {
  const status = useConnectStatus();
  if (status.isPending) return <LoadingState label="Loading Connect status" />;
  if (status.error) return <ErrorState error={status.error} onRetry={() => void status.refetch()} />;
  const { agents, waitingBatches, oldestWaitingSince, warning, deliverySeconds } = status.data;
  return (
    <Stack gap="sm" maw={900}>
      <Text size="sm" c="dimmed">
        The Connect agent runs beside the MMS: it syncs clients, matters and invoices from it, and delivers each batch
        to it.
      </Text>
      {warning && (
        <Alert color="orange" title="Batches are not being delivered">
          {warning}
        </Alert>
      )}
      <Stack gap={2}>
        <Waiting count={waitingBatches} since={oldestWaitingSince} />
        <Text size="sm">{usualDeliveryText(deliverySeconds) ?? 'No delivery has been measured yet.'}</Text>
      </Stack>
      {agents.length === 0 ? (
        <EmptyState>
          No agent has been in contact yet. An admin creates an agent token under Tokens; the firm's IT starts the agent
          with it.
        </EmptyState>
      ) : (
        // Labels need not be unique, and the list comes in the server's order (latest contact first).
        agents.map((agent, i) => <AgentCard key={i} agent={agent} />)
      )}
    </Stack>
  );
}
