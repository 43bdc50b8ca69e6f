import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { isPayPath } from './pay/route.ts';
import { usePath } from './router.ts';

/** Where an invite or reset link lands (the server's mails link here). */
export const SET_PASSWORD_PATH = '/set-password';

// Split by who is asking: a payer's page loads only the payer's code, never the staff
// screens (test/e2e/bundle-size.test.ts holds its first load to its budget); staff code
// loads once a staff path is opened.
const PayApp = lazy(() => import('./pay/PayApp.tsx').then((m) => ({ default: m.PayApp })));
const SetPassword = lazy(() => import('./SetPassword.tsx').then((m) => ({ default: m.SetPassword })));
const StaffApp = lazy(() => import('./StaffApp.tsx').then((m) => ({ default: m.StaffApp })));

export function App() {
  const path = usePath();
  return (
    <Suspense
      fallback={
        <Center h="100vh">
          <Loader aria-label="Loading" />
        </Center>
      }
    >
      {/* A payer's page is public: it never asks /me, so it never shows Sign in or the staff shell. */}
      {isPayPath(path) ? (
        <PayApp path={path} />
      ) : path === SET_PASSWORD_PATH ? (
        // An invite or reset link: public too, and its secret stays in the URL's fragment.
        <SetPassword />
      ) : (
        <StaffApp />
      )}
    </Suspense>
  );
}
