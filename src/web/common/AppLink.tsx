import { Anchor, type AnchorProps } from '@mantine/core';
import type { MouseEvent, ReactNode } from 'react';
import { navigate } from '../router.ts';

/**
 * What makes an element a link to another screen of the app: a real address (it can be
 * opened in a new tab or copied), which a plain click follows without reloading the page.
 */
export function appLinkProps(to: string) {
  return {
    href: to,
    onClick: (event: MouseEvent<HTMLElement>) => {
      // Ctrl-, Cmd-, Shift- or middle-click: the browser's own (a new tab or window).
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(to);
    },
  };
}

export function AppLink({
  to,
  children,
  ...props
}: AnchorProps & { to: string; children: ReactNode; 'aria-label'?: string }) {
  return (
    <Anchor {...props} {...appLinkProps(to)}>
      {children}
    </Anchor>
  );
}
