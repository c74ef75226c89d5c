'use client';

import { type ReactNode } from 'react';
import { deleteUserAsAdminAction, purgeGuestPredictionsAction, purgePredictionsBeforeAction } from '~/app/admin/actions';
import { Alert } from '~/components/ui/alert';
import { buttonClasses } from '~/components/ui/button';
import { PendingButton } from '~/components/ui/pending-button';
import { TextField } from '~/components/ui/text-field';
import { useFieldRefusal } from '~/components/ui/use-field-refusal';
import { useReachableActionState } from '~/components/ui/use-reachable-action-state';
import { useSubmittedValues } from '~/components/ui/use-submitted-values';
import type { AdminPurgeState, PurgeField } from '~/lib/admin-state';
import { PURGE_CONFIRMATION } from '~/lib/validations/admin';

const initial: AdminPurgeState = { status: 'idle' };

type Kept = Partial<Record<'before' | 'email', string>>;
/** What a purge's own fields get: the values kept after a refusal, and the message about one of them. */
type FieldState = { kept: Kept; errors: Partial<Record<PurgeField, string>> };

/**
 * One purge: its own fields, the typed confirmation and the result. React
 * resets the form after the action, so a second purge needs a second
 * confirmation; the day or email typed stay after a refusal, to be fixed
 * rather than typed again, and are cleared once the purge has run.
 */
function PurgeForm({
  name,
  action,
  submitText,
  fields,
}: {
  name: string;
  action: (previous: AdminPurgeState, formData: FormData) => Promise<AdminPurgeState>;
  submitText: string;
  fields?: (state: FieldState) => ReactNode;
}) {
  const [state, formAction, pending] = useReachableActionState(action, initial);
  const [submitted, onSubmit] = useSubmittedValues(['before', 'email']);
  // A message about one field is shown under it (and focus moves there); the rest under the button.
  const { formRef, fieldErrors: errors, formMessage } = useFieldRefusal(state.status === 'idle' || state.status === 'success' ? null : state);
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="space-y-3" data-testid={`purge-${name}-form`}>
      {fields?.({ kept: state.status === 'success' ? {} : submitted, errors })}
      <TextField
        id={`purge-${name}-confirm`}
        label={
          <>
            Type <span className="font-mono">{PURGE_CONFIRMATION}</span> to confirm
          </>
        }
        name="confirm"
        type="text"
        autoComplete="off"
        required
        error={errors.confirm}
      />
      <PendingButton type="submit" pending={pending} className={buttonClasses({ variant: 'danger' })} data-testid={`purge-${name}-submit`}>
        {pending ? 'Working…' : submitText}
      </PendingButton>
      {state.status === 'success' ? (
        <Alert tone="success">
          <span data-testid={`purge-${name}-result`}>{state.message}</span>
        </Alert>
      ) : formMessage ? (
        <Alert tone="error">{formMessage}</Alert>
      ) : null}
    </form>
  );
}

export function PurgeGuestPredictionsForm() {
  return <PurgeForm name="guests" action={purgeGuestPredictionsAction} submitText="Delete all guest uploads" />;
}

export function PurgePredictionsBeforeForm({ today }: { today: string }) {
  return (
    <PurgeForm
      name="before"
      action={purgePredictionsBeforeAction}
      submitText="Delete older predictions"
      fields={({ kept, errors }) => (
        <TextField id="purge-before-day" label="Delete predictions created before (UTC)" name="before" type="date" max={today} required defaultValue={kept.before} error={errors.before} />
      )}
    />
  );
}

export function DeleteUserForm() {
  return (
    <PurgeForm
      name="user"
      action={deleteUserAsAdminAction}
      submitText="Delete the account"
      fields={({ kept, errors }) => (
        <TextField id="purge-user-email" label="Email address of the account" name="email" type="email" autoComplete="off" required defaultValue={kept.email} error={errors.email} />
      )}
    />
  );
}
