import { Alert, Button, Center, Code, Group, List, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { apiKey, call, resourceOf } from './api/call.ts';
import { ErrorState, FailedAlert, LoadingState } from './common/States.tsx';

/** The signed-in user's two-factor sign-in: turn it on (secret, otpauth URI, a code to confirm) or off. */
export function TwoFactorPanel() {
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: apiKey('GET /me/two-factor'), queryFn: () => call('GET /me/two-factor') });
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const refresh = async () => {
    setCode('');
    await queryClient.invalidateQueries({ queryKey: [resourceOf('GET /me/two-factor')] });
    // /me says whether an admin must still enrol.
    await queryClient.invalidateQueries({ queryKey: [resourceOf('GET /me')] });
  };
  const start = useMutation({ mutationFn: () => call('POST /me/two-factor', { body: {} }) });
  const confirm = useMutation({
    mutationFn: () => call('POST /me/two-factor/confirm', { body: { code: code.trim() } }),
    onSuccess: (answer) => setRecoveryCodes(answer.recoveryCodes),
  });
  const disable = useMutation({
    mutationFn: () => call('POST /me/two-factor/disable', { body: { code: code.trim() } }),
    onSuccess: refresh,
  });
  if (status.isPending) return <LoadingState label="Loading two-factor sign-in" />;
  if (status.error) return <ErrorState error={status.error} onRetry={() => void status.refetch()} />;
  const error = start.error ?? confirm.error ?? disable.error;

  if (recoveryCodes) {
    return (
      <Stack gap="sm" maw={560}>
        <Alert color="green" title="Two-factor sign-in is on">
          Keep these recovery codes somewhere safe: each signs you in once if you lose your app. They are shown this
          once.
        </Alert>
        <Code block data-testid="recovery-codes">
          {recoveryCodes.join('\n')}
        </Code>
        <Group>
          <Button
            onClick={() => {
              setRecoveryCodes(null);
              void refresh();
            }}
          >
            I have kept them
          </Button>
        </Group>
      </Stack>
    );
  }

  const codeInput = (
    <TextInput
      label="Code"
      description="The 6-digit code your app shows now"
      autoComplete="one-time-code"
      value={code}
      onChange={(e) => setCode(e.currentTarget.value)}
      w={260}
    />
  );
  return (
    <Stack gap="sm" maw={560} aria-label="Two-factor sign-in" component="section">
      {status.data.enabled ? (
        <>
          <Text>
            Two-factor sign-in is on ({status.data.recoveryCodesLeft} recovery codes left).
            {status.data.required && ' The firm requires it of admins.'}
          </Text>
          {!status.data.required && (
            <Group align="flex-end">
              {codeInput}
              <Button color="red" variant="light" loading={disable.isPending} onClick={() => disable.mutate()}>
                Turn off
              </Button>
            </Group>
          )}
        </>
      ) : start.data ? (
        <>
          <Text>
            Add this key to your authenticator app (or open the otpauth link on your phone), then type the code it
            shows.
          </Text>
          <Text size="sm" fw={600}>
            Key
          </Text>
          <Code block data-testid="two-factor-secret">
            {start.data.secret}
          </Code>
          <Text size="sm" fw={600}>
            otpauth link
          </Text>
          <Code block style={{ wordBreak: 'break-all' }}>
            {start.data.uri}
          </Code>
          <Group align="flex-end">
            {codeInput}
            <Button loading={confirm.isPending} onClick={() => confirm.mutate()}>
              Confirm
            </Button>
          </Group>
        </>
      ) : (
        <>
          <Text>Two-factor sign-in is off. With it on, signing in also asks for a code from an authenticator app.</Text>
          <Group>
            <Button loading={start.isPending} onClick={() => start.mutate()}>
              Turn on two-factor
            </Button>
          </Group>
        </>
      )}
      <FailedAlert error={error} />
    </Stack>
  );
}

/** What an admin sees before anything else when the firm requires two-factor and they have none. */
export function TwoFactorEnrolment({ required }: { required: boolean }) {
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" w={640}>
        <Stack>
          <Title order={1} size="h2">
            Turn on two-factor sign-in
          </Title>
          {required && (
            <List size="sm">
              <List.Item>Your firm requires two-factor sign-in for admins: turn it on to go on.</List.Item>
            </List>
          )}
          <TwoFactorPanel />
        </Stack>
      </Paper>
    </Center>
  );
}
