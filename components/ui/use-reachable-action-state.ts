'use client';

import { unstable_rethrow } from 'next/navigation';
import { useActionState } from 'react';

export const SERVER_UNREACHABLE = 'Could not reach the server. Please try again.';

type Unreachable = { status: 'failed'; message: string };

/**
 * useActionState for a server action whose call itself can fail: no network,
 * the app server restarting (npm start brings it back), an action id from
 * before a rebuild. useActionState rethrows such a rejection to the error
 * boundary, which replaces the whole page and loses what was typed; here it
 * becomes the action's own `failed` state instead, shown beside the form.
 * Next's own control flow (a redirect from the action) passes through.
 *
 * The last parameter only checks, at compile time, that `State` has a
 * `{ status: 'failed'; message }` variant to answer with.
 */
export function useReachableActionState<State>(
  action: (previous: Awaited<State>, formData: FormData) => Promise<State>,
  initial: Awaited<State>,
  ..._stateHasFailed: Unreachable extends State ? [] : [never]
) {
  return useActionState(async (previous: Awaited<State>, formData: FormData): Promise<State> => {
    try {
      return await action(previous, formData);
    } catch (error) {
      unstable_rethrow(error);
      return { status: 'failed', message: SERVER_UNREACHABLE } satisfies Unreachable as State;
    }
  }, initial);
}
