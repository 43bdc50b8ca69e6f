import { Alert, Button, CopyButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconCheck, IconCopy, IconLink, IconMail } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { call } from '../api/call.ts';
import { formatDateTime } from '../common/format.ts';
import { useCan } from '../session.ts';
import { payerUrl } from './makePayment.ts';
import { FailedAlert } from '../common/States.tsx';

interface Props {
  /** "Payment link" or "Quick link": names the address box and the copy button. */
  kind: string;
  /** The path the server answered, /pay/link/… or /pay/quick/… */
  path: string;
  expiresAt: string;
  /** What the link pays, in words. */
  children: React.ReactNode;
  /** The link itself, for "Send by email": its kind, id and token (the token only while this shows). */
  link: { kind: 'payment' | 'quick'; id: string; token: string; payerEmail: string | null };
}

/** A link just made: its address to copy, shown this once (the firm keeps only its hash). */
export function LinkReady({ kind, path, expiresAt, children, link }: Props) {
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
      <SendByEmail kind={kind} link={link} />
    </Stack>
  );
}

/** Sends the link to the payer from paybridge: the server queues the message and sends it within a minute. */
function SendByEmail({ kind, link }: Pick<Props, 'kind' | 'link'>) {
  const canSend = useCan('accountant');
  const [to, setTo] = useState(link.payerEmail ?? '');
  const send = useMutation({
    mutationFn: () => {
      const request = { params: { id: link.id }, body: { token: link.token, ...(to.trim() ? { to: to.trim() } : {}) } };
      return link.kind === 'payment'
        ? call('POST /payment-links/:id/email', request)
        : call('POST /quick-links/:id/email', request);
    },
  });
  if (!canSend) return null;
  return (
    <Stack gap="xs">
      <Group
        gap="xs"
        align="flex-end"
        wrap="nowrap"
        component="form"
        aria-label={`Send ${kind.toLowerCase()} by email`}
        onSubmit={(e) => {
          e.preventDefault();
          send.mutate();
        }}
      >
        <TextInput
          label="Payer's email"
          type="email"
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          style={{ flex: 1 }}
          required
        />
        <Button type="submit" loading={send.isPending} leftSection={<IconMail size={16} aria-hidden />}>
          Send by email
        </Button>
      </Group>
      {send.isSuccess && (
        <Alert color="green" role="status">
          Sent to {send.data.to}.
        </Alert>
      )}
      <FailedAlert error={send.error} />
    </Stack>
  );
}
