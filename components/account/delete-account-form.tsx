'use client';

import { deleteAccountAction } from '~/app/(app)/account/actions';
import { Alert } from '~/components/ui/alert';
import { buttonClasses } from '~/components/ui/button';
import { PendingButton } from '~/components/ui/pending-button';
import { TextField } from '~/components/ui/text-field';
import { useReachableActionState } from '~/components/ui/use-reachable-action-state';
import { useSubmittedValues } from '~/components/ui/use-submitted-values';
import type { DeleteAccountState } from '~/lib/account-state';

const initial: DeleteAccountState = { status: 'idle' };

/**
 * Deletes the account once the user has typed their email address. On
 * success the action expires the session cookies and redirects home.
 */
export function DeleteAccountForm({ email }: { email: string }) {
  const [state, formAction, pending] = useReachableActionState(deleteAccountAction, initial);
  const [submitted, onSubmit] = useSubmittedValues(['confirmEmail']);
  return (
    <form action={formAction} onSubmit={onSubmit} className="space-y-3" data-testid="delete-account-form">
      <TextField
        id="confirm-email"
        label={
          <>
            Type your email address, <span className="font-mono break-all">{email}</span>, to confirm
          </>
        }
        name="confirmEmail"
        type="email"
        autoComplete="off"
        required
        defaultValue={submitted.confirmEmail}
      />
      <PendingButton type="submit" pending={pending} className={buttonClasses({ variant: 'danger' })} data-testid="delete-account">
        {pending ? 'Deleting…' : 'Delete my account'}
      </PendingButton>
      {state.status !== 'idle' ? <Alert tone="error">{state.message}</Alert> : null}
    </form>
  );
}
