'use client';

import { deletePredictionAction } from '~/app/(app)/actions';
import { Alert } from '~/components/ui/alert';
import { buttonClasses } from '~/components/ui/button';
import { PendingButton } from '~/components/ui/pending-button';
import { useReachableActionState } from '~/components/ui/use-reachable-action-state';
import type { DeleteState } from '~/lib/prediction-state';

const initial: DeleteState = { status: 'idle' };

/** Deletes a prediction and its thumbnail after a confirmation. */
export function DeletePredictionButton({ predictionId }: { predictionId: string }) {
  const [state, formAction, pending] = useReachableActionState(deletePredictionAction, initial);
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        if (!window.confirm('Delete this prediction and its thumbnail? This cannot be undone.')) event.preventDefault();
      }}
      className="space-y-2"
    >
      <input type="hidden" name="id" value={predictionId} />
      <PendingButton type="submit" pending={pending} className={buttonClasses({ variant: 'danger', size: 'sm' })} data-testid="delete-prediction">
        {pending ? 'Deleting…' : 'Delete'}
      </PendingButton>
      {state.status !== 'idle' ? <Alert tone="error">{state.message}</Alert> : null}
    </form>
  );
}
