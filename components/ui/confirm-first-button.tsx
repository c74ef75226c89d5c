'use client';

import type { ComponentProps } from 'react';
import { buttonClasses } from '~/components/ui/button';
import { PendingButton } from '~/components/ui/pending-button';
import { ScriptReady } from '~/components/ui/script-ready';

/**
 * The small red submit button of a form that asks before it acts: Delete, Revoke. It asks `question`
 * (window.confirm) and cancels the click, and with it the submit, on "Cancel". Disabled until the page's JavaScript
 * runs, because before that the form would post straight to its server action without asking.
 */
export function ConfirmFirstButton({ pending, question, ...props }: Omit<ComponentProps<typeof PendingButton>, 'type' | 'className' | 'onClick'> & { question: string }) {
  return (
    <ScriptReady>
      <PendingButton
        {...props}
        type="submit"
        pending={pending}
        className={buttonClasses({ variant: 'danger', size: 'sm' })}
        onClick={(event) => {
          if (!window.confirm(question)) event.preventDefault();
        }}
      />
    </ScriptReady>
  );
}
