import { Alert } from '@mantine/core';
import { useCan } from '../session.ts';

/** Screens that take money are for accountants and admins; the server refuses a viewer anyway. */
export function TakeOnly({ children }: { children: React.ReactNode }) {
  if (useCan('accountant')) return children;
  return (
    <Alert color="gray" title="Not available to viewers">
      Taking payments is for the firm&apos;s accountants and admins.
    </Alert>
  );
}
