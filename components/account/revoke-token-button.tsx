'use client';

import { useEffect } from 'react';
import { revokeApiTokenAction } from '~/app/(app)/account/actions';
import { Alert } from '~/components/ui/alert';
import { ConfirmFirstButton } from '~/components/ui/confirm-first-button';
import { useReachableActionState } from '~/components/ui/use-reachable-action-state';
import type { RevokeTokenState } from '~/lib/account-state';

const initial: RevokeTokenState = { status: 'idle' };

/**
 * Revokes a token after a confirmation; once revoked, says so instead. It
 * stays mounted across that change so that it can move focus, which would
 * otherwise fall to the page with the button, to `headingId` (the list's
 * heading). The button waits for the page's script, which asks first.
 */
export function RevokeTokenButton({ tokenId, name, revoked, headingId }: { tokenId: string; name: string; revoked: boolean; headingId: string }) {
  const [state, formAction, pending] = useReachableActionState(revokeApiTokenAction, initial);
  useEffect(() => {
    // After this button's own submit (revoked now, or found revoked already): the button it had focus on is gone.
    if (revoked && (state.status === 'success' || state.status === 'not_found')) document.getElementById(headingId)?.focus();
  }, [revoked, state.status, headingId]);
  if (revoked) return <span className="text-xs font-medium text-slate-500">Revoked</span>;
  return (
    <form action={formAction}>
      <input type="hidden" name="id" value={tokenId} />
      <ConfirmFirstButton pending={pending} question={`Revoke “${name}”? Programs using it stop working at once.`} data-testid="revoke-token">
        {pending ? 'Revoking…' : 'Revoke'}
      </ConfirmFirstButton>
      {state.status !== 'idle' && state.status !== 'success' ? <Alert tone="error">{state.message}</Alert> : null}
    </form>
  );
}
