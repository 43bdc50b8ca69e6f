import { Alert } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { ApiError } from '../api/client.ts';
import { errorText } from '../common/errors.ts';

/** Why a payment or a link was not made: a decline in the processor's words, else what to fix. */
export function PayError({ error }: { error: unknown }) {
  const title =
    error instanceof ApiError
      ? error.status === 402
        ? 'Payment declined'
        : error.code === 'payment_not_recorded'
          ? 'Approved, not yet recorded'
          : 'Not done'
      : error instanceof TypeError
        ? 'Not sent'
        : 'Check the details';
  return (
    <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={title} role="alert">
      {errorText(error)}
    </Alert>
  );
}
