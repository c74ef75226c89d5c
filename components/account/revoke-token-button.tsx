'use client';

import { useActionState } from 'react';
import { revokeApiTokenAction } from '~/app/(app)/account/actions';
import { Alert } from '~/components/ui/alert';
import { buttonClasses } from '~/components/ui/button';
import type { RevokeTokenState } from '~/lib/account-state';

const initial: RevokeTokenState = { status: 'idle' };

/** Revokes a token after a confirmation. */
export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [state, formAction, pending] = useActionState(revokeApiTokenAction, initial);
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        if (!window.confirm(`Revoke “${name}”? Programs using it stop working at once.`)) event.preventDefault();
      }}
    >
      <input type="hidden" name="id" value={tokenId} />
      <button type="submit" disabled={pending} className={buttonClasses({ variant: 'danger', size: 'sm' })} data-testid="revoke-token">
        {pending ? 'Revoking…' : 'Revoke'}
      </button>
      {state.status !== 'idle' && state.status !== 'success' ? <Alert tone="error">{state.message}</Alert> : null}
    </form>
  );
}
