import { Stack, Text, Timeline, Title } from '@mantine/core';
import type { HistoryEvent } from '../api/types.ts';
import { formatDateTime } from '../common/format.ts';
import { describeEvent } from './historyText.ts';

export function RecordHistory({ history }: { history: HistoryEvent[] }) {
  return (
    <Stack gap="xs" component="section" aria-labelledby="history-title">
      <Title order={3} size="h5" id="history-title">
        History
      </Title>
      {history.length === 0 ? (
        <Text size="sm" c="dimmed">
          No history yet.
        </Text>
      ) : (
        <Timeline bulletSize={10} lineWidth={2} active={history.length - 1}>
          {history.map((event, i) => {
            const { title, notes } = describeEvent(event);
            return (
              <Timeline.Item key={`${event.at}-${i}`} title={<Text size="sm">{title}</Text>}>
                {notes.map((note) => (
                  <Text key={note} size="xs">
                    {note}
                  </Text>
                ))}
                <Text size="xs" c="dimmed">
                  {formatDateTime(event.at)} · {event.actor}
                </Text>
              </Timeline.Item>
            );
          })}
        </Timeline>
      )}
    </Stack>
  );
}
