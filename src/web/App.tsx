import { Center, Loader } from '@mantine/core';
import { ApiError } from './api/client.ts';
import { setFirmTimeZone } from './common/format.ts';
import { ErrorState } from './common/States.tsx';
import { PayApp } from './pay/PayApp.tsx';
import { isPayPath } from './pay/route.ts';
import { usePath } from './router.ts';
import { Shell } from './Shell.tsx';
import { MeContext, useMeQuery } from './session.ts';
import { SignIn } from './SignIn.tsx';
import { SetPassword, SET_PASSWORD_PATH } from './SetPassword.tsx';
import { TwoFactorEnrolment } from './TwoFactor.tsx';

export function App() {
  const path = usePath();
  // A payer's page is public: it never asks /me, so it never shows Sign in or the staff shell.
  if (isPayPath(path)) return <PayApp path={path} />;
  // An invite or reset link: public too, and its secret stays in the URL's fragment.
  if (path === SET_PASSWORD_PATH) return <SetPassword />;
  return <StaffApp />;
}

function StaffApp() {
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
