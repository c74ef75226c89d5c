'use client';

import { changePasswordAction } from '~/app/(app)/account/actions';
import { NewPasswordField } from '~/components/auth/new-password-field';
import { Alert } from '~/components/ui/alert';
import { buttonClasses } from '~/components/ui/button';
import { PendingButton } from '~/components/ui/pending-button';
import { TextField } from '~/components/ui/text-field';
import { useFocusFirstInvalid } from '~/components/ui/use-focus-first-invalid';
import { useReachableActionState } from '~/components/ui/use-reachable-action-state';
import type { ChangePasswordState } from '~/lib/account-state';

const initial: ChangePasswordState = { status: 'idle' };

/**
 * The current password and a new one. On success this browser stays signed
 * in and every other session ends. Password fields are not refilled after a
 * refusal (the usual practice: nothing typed as a password is kept in page
 * state); the email is there, hidden, for password managers.
 */
export function ChangePasswordForm({ email }: { email: string }) {
  const [state, formAction, pending] = useReachableActionState(changePasswordAction, initial);
  const fieldErrors = state.status === 'invalid_data' ? state.fieldErrors : {};
  const formRef = useFocusFirstInvalid(state.status === 'invalid_data' ? state : null);
  return (
    <form ref={formRef} action={formAction} className="max-w-md space-y-4" data-testid="change-password-form">
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <TextField
        id="current-password"
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={fieldErrors.currentPassword}
      />
      <NewPasswordField id="new-password" label="New password" name="newPassword" error={fieldErrors.newPassword} />
      <PendingButton type="submit" pending={pending} className={buttonClasses()} data-testid="change-password">
        {pending ? 'Changing…' : 'Change password'}
      </PendingButton>
      {state.status === 'success' ? <Alert tone="success">{state.message}</Alert> : null}
      {state.status === 'unauthorized' || state.status === 'rate_limited' || state.status === 'failed' ? <Alert tone="error">{state.message}</Alert> : null}
    </form>
  );
}
