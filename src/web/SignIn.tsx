import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { apiKey, call } from './api/call.ts';
import { ApiError, setCsrfToken } from './api/client.ts';
import { errorText } from './common/errors.ts';
import { navigate } from './router.ts';

export function SignIn({ initialEmail = '' }: { initialEmail?: string }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  // A user with two-factor on is asked for their code once the password was right.
  const [needsCode, setNeedsCode] = useState(false);
  const signIn = useMutation({
    mutationFn: () =>
      call('POST /session', { body: { email: email.trim(), password, ...(needsCode ? { code: code.trim() } : {}) } }),
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'two_factor_required') setNeedsCode(true);
    },
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      // Nothing another user loaded may show; the /me query stays, since App is watching it.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
      // SPEC §7: signing in lands on Manage Postings, Pending/Incomplete view.
      navigate('/postings');
      queryClient.setQueryData(apiKey('GET /me'), me);
    },
  });

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    signIn.mutate();
  };

  return (
    <Center mih="100vh" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" w={380}>
        <form onSubmit={submit} aria-labelledby="sign-in-title">
          <Stack>
            <Title order={1} size="h2" id="sign-in-title">
              paybridge
            </Title>
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              data-autofocus
              autoFocus
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            {needsCode && (
              <TextInput
                label="Two-factor code"
                description="The 6-digit code from your authenticator app, or a recovery code"
                autoComplete="one-time-code"
                required
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                autoFocus
              />
            )}
            {signIn.error && !(signIn.error instanceof ApiError && signIn.error.code === 'two_factor_required') && (
              <Alert color="red" role="alert" title="Could not sign in">
                {errorText(signIn.error)}
              </Alert>
            )}
            <Button type="submit" loading={signIn.isPending}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
