import { Radio, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { notificationPreferenceOut } from '../../contract/notifications.ts';
import { apiKey, call, resourceOf } from '../api/call.ts';
import { ErrorState, FailedAlert, LoadingState } from '../common/States.tsx';

type Mode = z.output<typeof notificationPreferenceOut>['mode'];

const CHOICES: { value: Mode; label: string; description: string }[] = [
  { value: 'none', label: 'No email', description: 'Staff events show on the screens only.' },
  { value: 'each', label: 'Each event', description: 'An email as each event happens.' },
  {
    value: 'digest',
    label: 'Daily digest',
    description: "One email the next morning listing the day's events (days in the firm's time zone).",
  },
];

/** The signed-in user's own choice of staff event email: every user has one, whatever the role. */
export function Notifications() {
  const queryClient = useQueryClient();
  const current = useQuery({
    queryKey: apiKey('GET /me/notifications'),
    queryFn: () => call('GET /me/notifications'),
  });
  const save = useMutation({
    mutationFn: (mode: Mode) => call('PATCH /me/notifications', { body: { mode } }),
    onSuccess: (answer) => queryClient.setQueryData(apiKey('GET /me/notifications'), answer),
    onSettled: () => queryClient.invalidateQueries({ queryKey: [resourceOf('GET /me/notifications')] }),
  });
  if (current.isPending) return <LoadingState label="Loading notifications" />;
  if (current.error) return <ErrorState error={current.error} onRetry={() => void current.refetch()} />;
  return (
    <Stack gap="sm" maw={560}>
      <Text size="sm">
        Email me when the MMS refuses a posted record, a new record is incomplete, the Connect agent goes silent while
        batches wait, or a scheduled charge fails.
      </Text>
      <Radio.Group
        label="Staff event email"
        value={save.isPending ? save.variables : current.data.mode}
        onChange={(value) => {
          const mode = CHOICES.find((c) => c.value === value)?.value;
          if (mode) save.mutate(mode);
        }}
      >
        <Stack gap="xs" mt="xs">
          {CHOICES.map((c) => (
            <Radio key={c.value} value={c.value} label={c.label} description={c.description} />
          ))}
        </Stack>
      </Radio.Group>
      <FailedAlert error={save.error} />
    </Stack>
  );
}
