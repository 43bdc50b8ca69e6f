import { Alert, Anchor, Text } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { navigate } from '../router.ts';
import { useConnectStatus } from './queries.ts';

export const CONNECT_STATUS_PATH = '/settings/connect';

/** Manage Postings' banner when batches wait and no agent has been in contact (SPEC §5.2): announced as it appears. */
export function ConnectWarning() {
  const status = useConnectStatus();
  const warning = status.data?.warning;
  if (!warning) return null;
  return (
    <Alert
      color="orange"
      role="alert"
      icon={<IconPlugConnectedX aria-hidden />}
      title="Batches are not being delivered"
      py="xs"
    >
      <Text size="sm">{warning}</Text>
      <Anchor
        href={CONNECT_STATUS_PATH}
        size="sm"
        onClick={(event) => {
          event.preventDefault();
          navigate(CONNECT_STATUS_PATH);
        }}
      >
        See Connect status
      </Anchor>
    </Alert>
  );
}
