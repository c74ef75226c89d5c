'use client';

import { endOtherSessionsAction } from '~/app/(app)/account/actions';
import { Alert } from '~/components/ui/alert';
import { buttonClasses } from '~/components/ui/button';
import { PendingButton } from '~/components/ui/pending-button';
import { useReachableActionState } from '~/components/ui/use-reachable-action-state';
import type { EndOtherSessionsState } from '~/lib/account-state';

const initial: EndOtherSessionsState = { status: 'idle' };

/** One button: every session of this account ends except the one in this browser. */
export function EndOtherSessionsForm() {
  const [state, formAction, pending] = useReachableActionState(endOtherSessionsAction, initial);
  return (
    <form action={formAction} className="space-y-3" data-testid="end-other-sessions-form">
      <PendingButton type="submit" pending={pending} className={buttonClasses({ variant: 'secondary' })} data-testid="end-other-sessions">
        {pending ? 'Signing out…' : 'Sign out everywhere else'}
      </PendingButton>
      {state.status === 'success' ? <Alert tone="success">{state.message}</Alert> : null}
      {state.status === 'unauthorized' || state.status === 'failed' ? <Alert tone="error">{state.message}</Alert> : null}
    </form>
  );
}
