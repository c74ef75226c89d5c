'use client';

import { useActionState } from 'react';
import { createApiTokenAction } from '~/app/(app)/account/actions';
import { inputClasses } from '~/components/auth/input-classes';
import { Alert } from '~/components/ui/alert';
import { buttonClasses } from '~/components/ui/button';
import type { CreateTokenState } from '~/lib/account-state';

const initial: CreateTokenState = { status: 'idle' };

/** Names and creates a token, then shows it once with a copy button. */
export function CreateTokenForm({ maxNameLength }: { maxNameLength: number }) {
  const [state, formAction, pending] = useActionState(createApiTokenAction, initial);
  return (
    <div className="space-y-3">
      <form action={formAction} className="flex flex-wrap items-end gap-3">
        <div className="min-w-60 flex-1 space-y-1">
          <label htmlFor="token-name" className="text-sm font-medium">
            Token name
          </label>
          <input id="token-name" name="name" required maxLength={maxNameLength} placeholder="e.g. my script" className={inputClasses} />
        </div>
        <button type="submit" disabled={pending} className={buttonClasses()} data-testid="create-token">
          {pending ? 'Creating…' : 'Create token'}
        </button>
      </form>
      {state.status === 'success' ? (
        <Alert tone="success">
          <p>
            Token <strong>{state.name}</strong> created. Copy it now: it is not stored and will not be shown again.
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code className="rounded bg-white px-2 py-1 font-mono text-xs break-all text-slate-900 dark:bg-slate-900 dark:text-slate-100" data-testid="new-token">
              {state.token}
            </code>
            <button type="button" className={buttonClasses({ variant: 'secondary', size: 'sm' })} onClick={() => void navigator.clipboard?.writeText(state.token)}>
              Copy
            </button>
          </div>
        </Alert>
      ) : null}
      {state.status === 'invalid_data' || state.status === 'unauthorized' || state.status === 'failed' ? <Alert tone="error">{state.message}</Alert> : null}
    </div>
  );
}
