import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { Center, Loader } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { ApiError } from './api/client.ts';
import { setFirmTimeZone } from './common/format.ts';
import { ErrorState } from './common/States.tsx';
import { MeContext, useMeQuery } from './session.ts';
import { Shell } from './Shell.tsx';
import { SignIn } from './SignIn.tsx';
import { TwoFactorEnrolment } from './TwoFactor.tsx';
import { WithQueries } from './WithQueries.tsx';

/** The staff side, loaded apart from the payer's pages: Sign in, or the shell and its screens. */
export function StaffApp() {
  return (
    <WithQueries>
      {/* Bottom right, where a toast covers no control (at the top it covered Sign out). */}
      <Notifications position="bottom-right" />
      <SignedIn />
    </WithQueries>
  );
}

function SignedIn() {
  const me = useMeQuery();
  if (me.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (me.error instanceof ApiError && me.error.status === 401) return <SignIn />;
  if (me.error) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  // Before the screens render: they show moments on the firm's clock (after sign-in, and after Settings changes the zone).
  setFirmTimeZone(me.data.firm.timeZone);
  return (
    <MeContext value={me.data}>
      {me.data.user.twoFactor.enrolmentRequired ? <TwoFactorEnrolment required /> : <Shell />}
    </MeContext>
  );
}
