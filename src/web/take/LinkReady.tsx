import { Alert, Button, CopyButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconCheck, IconCopy, IconLink } from '@tabler/icons-react';
import { formatDateTime } from '../common/format.ts';
import { payerUrl } from './makePayment.ts';

interface Props {
  /** "Payment link" or "Quick link": names the address box and the copy button. */
  kind: string;
  /** The path the server answered, /pay/link/… or /pay/quick/… */
  path: string;
  expiresAt: string;
  /** What the link pays, in words. */
  children: React.ReactNode;
}

/** A link just made: its address to copy, shown this once (the firm keeps only its hash). */
export function LinkReady({ kind, path, expiresAt, children }: Props) {
  const url = payerUrl(window.location.origin, path);
  return (
    <Stack gap="sm">
      <Alert color="green" icon={<IconLink aria-hidden />} title={`${kind} ready`} role="status">
        {children}
      </Alert>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput
          label={`${kind} address`}
          value={url}
          readOnly
          onFocus={(e) => e.currentTarget.select()}
          style={{ flex: 1 }}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
        />
        <CopyButton value={url}>
          {({ copied, copy }) => (
            <Button
              variant={copied ? 'filled' : 'default'}
              color={copied ? 'teal' : undefined}
              onClick={copy}
              leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
              aria-label={`Copy ${kind.toLowerCase()} address`}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="sm">
        Expires <b>{formatDateTime(expiresAt)}</b>. Copy it now: for the payer&apos;s safety the address is shown only
        this once.
      </Text>
    </Stack>
  );
}
