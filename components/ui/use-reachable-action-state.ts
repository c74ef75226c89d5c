'use client';

import { unstable_isUnrecognizedActionError, unstable_rethrow } from 'next/navigation';
import { useActionState } from 'react';
import { useHydrated } from './use-hydrated';

export const SERVER_UNREACHABLE = 'Could not reach the server. Please try again.';
export const PAGE_OUT_OF_DATE = 'PetLens has been updated since this page was opened. Reload the page, then try again.';

/**
 * What to tell a user whose server action call got no answer it could use.
 * A page from before the last deploy calls actions by ids the server no
 * longer has ("Failed to find Server Action"): trying again cannot help,
 * reloading the page does. Anything else is the network or a server on its
 * way back: `unreachable` (SERVER_UNREACHABLE unless given).
 */
export function unansweredCallMessage(error: unknown, unreachable = SERVER_UNREACHABLE): string {
  return isPageOutOfDate(error) ? PAGE_OUT_OF_DATE : unreachable;
}

/** The server does not know the action this page called: the page is older than the running build. */
export const isPageOutOfDate = (error: unknown): boolean => unstable_isUnrecognizedActionError(error);

type Unreachable = { status: 'failed'; message: string };

/** An error the server sent (Next gives those a digest), as opposed to a call that never got an answer. */
function fromServer(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'digest' in error;
}

/**
 * useActionState for a server action whose call itself can fail: no network,
 * the app server restarting (npm start brings it back), an action id from
 * before a deploy (then the message says to reload). useActionState rethrows such a rejection to the error
 * boundary, which replaces the whole page and loses what was typed; here it
 * becomes the action's own `failed` state instead, shown beside the form.
 * Errors the server sent, and Next's own control flow (a redirect from the
 * action), pass through as before.
 *
 * Until hydration the form's action is the server action itself, so a
 * submit before the page's JavaScript has run still posts it (React renders
 * a client-side wrapper as an action that does nothing).
 *
 * The last parameter only checks, at compile time, that `State` has a
 * `{ status: 'failed'; message }` variant to answer with.
 */
export function useReachableActionState<State>(
  action: (previous: Awaited<State>, formData: FormData) => Promise<State>,
  initial: Awaited<State>,
  ..._stateHasFailed: Unreachable extends State ? [] : [never]
) {
  const [enhancedState, enhancedAction, enhancedPending] = useActionState(action, initial);
  const [state, wrappedAction, pending] = useActionState(async (previous: Awaited<State>, formData: FormData): Promise<State> => {
    try {
      return await action(previous, formData);
    } catch (error) {
      unstable_rethrow(error);
      if (fromServer(error)) throw error;
      return { status: 'failed', message: unansweredCallMessage(error) } satisfies Unreachable as State;
    }
  }, initial);
  const hydrated = useHydrated();
  // A state from a submit before hydration (the page rendered again with it) until the form is used again.
  return [state === initial ? enhancedState : state, hydrated ? wrappedAction : enhancedAction, pending || enhancedPending] as const;
}
