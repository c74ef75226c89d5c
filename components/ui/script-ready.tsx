'use client';

import type { ReactNode } from 'react';
import { useHydrated } from './use-hydrated';

/**
 * Keeps the controls inside disabled until the page's script has run, for
 * forms the browser must not submit on its own: those that ask first
 * (ConfirmFirstButton), and those that only work through their onSubmit
 * handler (sign-in, sign-up: next-auth's signIn is client code). Submitted
 * before hydration, one of the latter
 * would do what a plain HTML form does and send its fields in the URL: the
 * password in the address bar, the history and the server's logs. A disabled
 * submit button also stops Enter in a field from submitting (the HTML
 * standard's implicit submission). The fields stay usable, so typing can
 * start while the script loads. A fieldset, not `disabled` on the button:
 * PendingButton has none, to keep focus while pending. `className`: 'contents'
 * (no box of its own) unless the parent spaces its children (`space-y-*`),
 * whose margins a box-less element would lose.
 */
export function ScriptReady({ children, className = 'contents' }: { children: ReactNode; className?: string }) {
  const hydrated = useHydrated();
  return (
    <fieldset disabled={!hydrated} className={className}>
      {children}
    </fieldset>
  );
}
