import { Stack, Text, Timeline, Title } from '@mantine/core';
import type { HistoryEvent } from '../api/types.ts';
import { formatDateTime } from '../common/format.ts';

function describe(event: HistoryEvent): string {
  const action = event.action.replaceAll('_', ' ');
  if (event.from && event.to && event.from !== event.to) return `${action}: ${event.from} → ${event.to}`;
  if (event.to && !event.from) return `${action}: ${event.to}`;
  return action;
}

export function RecordHistory({ history }: { history: HistoryEvent[] }) {
  return (
    <Stack gap="xs" component="section" aria-labelledby="history-title">
      <Title order={3} size="h5" id="history-title">History</Title>
      {history.length === 0 ? (
        <Text size="sm" c="dimmed">No history yet.</Text>
      ) : (
        <Timeline bulletSize={10} lineWidth={2} active={history.length - 1}>
          {history.map((event, i) => (
            <Timeline.Item key={`${event.at}-${i}`} title={<Text size="sm">{describe(event)}</Text>}>
              <Text size="xs" c="dimmed">{formatDateTime(event.at)} · {event.actor}</Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Stack>
  );
}
