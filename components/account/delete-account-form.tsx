'use client';

import { deleteAccountAction } from '~/app/(app)/account/actions';
import { Alert } from '~/components/ui/alert';
import { buttonClasses } from '~/components/ui/button';
import { PendingButton } from '~/components/ui/pending-button';
import { TextField } from '~/components/ui/text-field';
import { useFieldRefusal } from '~/components/ui/use-field-refusal';
import { useReachableActionState } from '~/components/ui/use-reachable-action-state';
import type { DeleteAccountState } from '~/lib/account-state';

const initial: DeleteAccountState = { status: 'idle' };

/**
 * Deletes the account once the user has entered their password. On success
 * the action expires the session cookies and redirects home. The password is
 * not refilled after a refusal, as on the password form; the email is there,
 * hidden, for password managers.
 */
export function DeleteAccountForm({ email }: { email: string }) {
  const [state, formAction, pending] = useReachableActionState(deleteAccountAction, initial);
  const { formRef, fieldErrors, formMessage } = useFieldRefusal(state.status === 'idle' ? null : state);
  return (
    <form ref={formRef} action={formAction} className="max-w-md space-y-3" data-testid="delete-account-form">
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <TextField
        id="delete-account-password"
        label="Your password, to confirm"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={fieldErrors.currentPassword}
      />
      <PendingButton type="submit" pending={pending} className={buttonClasses({ variant: 'danger' })} data-testid="delete-account">
        {pending ? 'Deleting…' : 'Delete my account'}
      </PendingButton>
      {formMessage ? <Alert tone="error">{formMessage}</Alert> : null}
    </form>
  );
}
