'use client';

import { useRef, useState } from 'react';
import { createApiTokenAction } from '~/app/(app)/account/actions';
import { Alert } from '~/components/ui/alert';
import { buttonClasses } from '~/components/ui/button';
import { PendingButton } from '~/components/ui/pending-button';
import { TextField } from '~/components/ui/text-field';
import { useFieldRefusal } from '~/components/ui/use-field-refusal';
import { useReachableActionState } from '~/components/ui/use-reachable-action-state';
import { useSubmittedValues } from '~/components/ui/use-submitted-values';
import type { CreateTokenState } from '~/lib/account-state';

const initial: CreateTokenState = { status: 'idle' };

/** Names and creates a token, then shows it once with a copy button. */
export function CreateTokenForm({ maxNameLength }: { maxNameLength: number }) {
  const [state, formAction, pending] = useReachableActionState(createApiTokenAction, initial);
  const [submitted, onSubmit] = useSubmittedValues(['name']);
  const { formRef, fieldErrors, formMessage } = useFieldRefusal(state.status === 'idle' || state.status === 'success' ? null : state);
  return (
    <div className="space-y-3">
      <form ref={formRef} action={formAction} onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-start">
        <TextField
          id="token-name"
          label="Token name"
          className="min-w-0"
          name="name"
          required
          maxLength={maxNameLength}
          placeholder="e.g. my script"
          error={fieldErrors.name}
          // Kept after a refusal, to be fixed; cleared once the token exists.
          defaultValue={state.status === 'success' ? undefined : submitted.name}
        />
        {/* Beside the input on wider screens, level with it whether or not a message sits under it; below it on phones. */}
        <PendingButton type="submit" pending={pending} className={buttonClasses({ className: 'justify-self-start sm:mt-6' })} data-testid="create-token">
          {pending ? 'Creating…' : 'Create token'}
        </PendingButton>
      </form>
      {state.status === 'success' ? (
        // An alert (as every success is): this one is shown only once.
        <Alert tone="success">
          <p>
            Token <strong className="break-all">{state.name}</strong> created. Copy it now: it is not stored and will not be shown again.
          </p>
          {/* Keyed: a new token starts without the last one's "Copied". */}
          <NewToken key={state.token} token={state.token} />
        </Alert>
      ) : null}
      {formMessage ? <Alert tone="error">{formMessage}</Alert> : null}
    </div>
  );
}

/**
 * The token with a Copy button that says whether it worked. Where the
 * clipboard is missing (an insecure origin) or refused, the token is
 * selected instead, for the keyboard shortcut.
 */
function NewToken({ token }: { token: string }) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'manual'>('idle');
  const code = useRef<HTMLElement>(null);

  async function onCopy() {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(token);
      setCopy('copied');
    } catch {
      if (code.current) window.getSelection()?.selectAllChildren(code.current);
      setCopy('manual');
    }
  }

  return (
    <div className="mt-2 flex flex-wrap items-center gap-2">
      <code ref={code} className="rounded bg-white px-2 py-1 font-mono text-xs break-all text-slate-900 dark:bg-slate-900 dark:text-slate-100" data-testid="new-token">
        {token}
      </code>
      <button type="button" className={buttonClasses({ variant: 'secondary', size: 'sm' })} onClick={() => void onCopy()}>
        Copy
      </button>
      <span aria-live="polite" className="text-sm">
        {copy === 'copied' ? 'Copied ✓' : copy === 'manual' ? 'Press Ctrl+C (⌘C) to copy' : ''}
      </span>
    </div>
  );
}
