import '@mantine/core/styles.css';
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { call } from './api/call.ts';
import { errorText } from './common/errors.ts';
import { SignIn } from './SignIn.tsx';
import { WithQueries } from './WithQueries.tsx';
import { FailedAlert } from './common/States.tsx';

/** The invite or reset link's page: the secret is the URL's fragment, which never reaches the server's logs. */
export function SetPassword() {
  return (
    <WithQueries>
      <SetPasswordForm />
    </WithQueries>
  );
}

function SetPasswordForm() {
  const [token] = useState(() => window.location.hash.slice(1));
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const link = useQuery({
    queryKey: ['password-link', token],
    queryFn: () => call('POST /password-links/look-up', { body: { token } }),
    enabled: token !== '',
    retry: false,
  });
  const save = useMutation({
    mutationFn: () => call('POST /password-links/use', { body: { token, password } }),
    // Done: the link is spent; take its secret out of the address bar, then sign in.
    onSuccess: () => window.history.replaceState(null, '', '/'),
  });
  if (save.isSuccess) return <SignIn initialEmail={save.data.email} />;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (password === again) save.mutate();
  };
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" w={420}>
        <form onSubmit={submit} aria-labelledby="set-password-title">
          <Stack>
            <Title order={1} size="h2" id="set-password-title">
              Set your password
            </Title>
            {token === '' || link.error ? (
              <Alert color="red" role="alert" title="This link cannot be used">
                {link.error ? errorText(link.error) : 'The link is incomplete; open it again from your mail.'}
              </Alert>
            ) : link.isPending ? (
              <Text>Checking the link…</Text>
            ) : (
              <>
                <Text>
                  {link.data.kind === 'invite' ? 'Welcome to' : 'A new password for'} {link.data.firmName}:{' '}
                  <b>{link.data.email}</b>
                </Text>
                <PasswordInput
                  label="New password"
                  description="At least 12 characters; a passphrase of several words is good. Common passwords are refused."
                  autoComplete="new-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                />
                <PasswordInput
                  label="New password again"
                  autoComplete="new-password"
                  required
                  value={again}
                  error={again !== '' && again !== password ? 'The two passwords differ' : undefined}
                  onChange={(e) => setAgain(e.currentTarget.value)}
                />
                <FailedAlert error={save.error} />
                <Button type="submit" loading={save.isPending}>
                  Set password
                </Button>
              </>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
