'use client';

import Link from 'next/link';
import { deletePredictionAction } from '~/app/(app)/actions';
import { withSearch } from '~/components/history/history-search';
import { Alert } from '~/components/ui/alert';
import { ConfirmFirstButton } from '~/components/ui/confirm-first-button';
import { useReachableActionState } from '~/components/ui/use-reachable-action-state';
import type { DeleteState } from '~/lib/prediction-state';

const initial: DeleteState = { status: 'idle' };

/**
 * Deletes a prediction and its thumbnail after a confirmation (so its button waits for the page's script), then goes
 * back to the history list page the prediction was opened from, whose query string is `listSearch`.
 */
export function DeletePredictionButton({ predictionId, listSearch }: { predictionId: string; listSearch: string }) {
  const [state, formAction, pending] = useReachableActionState(deletePredictionAction, initial);
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="id" value={predictionId} />
      <input type="hidden" name="list" value={listSearch} />
      <ConfirmFirstButton pending={pending} question="Delete this prediction and its thumbnail? This cannot be undone." data-testid="delete-prediction">
        {pending ? 'Deleting…' : 'Delete'}
      </ConfirmFirstButton>
      {state.status === 'not_found' ? (
        // What the user wanted has happened already; nothing to retry, only the way back.
        // role alert: inserted with its text after the confirmation, where a status region is often not read out.
        <Alert tone="info" role="alert">
          {state.message}{' '}
          <Link href={withSearch('/history', listSearch)} className="font-medium underline underline-offset-4">
            Back to your history
          </Link>
        </Alert>
      ) : state.status !== 'idle' ? (
        <Alert tone="error">{state.message}</Alert>
      ) : null}
    </form>
  );
}
