'use client';

import { useState, useTransition } from 'react';
import type { AdminLabelState } from '~/lib/admin-state';
import type { Label } from '~/lib/config';
import type { FeedbackState } from '~/lib/prediction-state';
import { useHydrated } from '~/components/ui/use-hydrated';
import { unansweredCallMessage } from '~/components/ui/use-reachable-action-state';

/**
 * Sends a label for one prediction with a server action: `send(label)` calls
 * `action`, reports the stored label through `onSaved`, and keeps the refusal
 * (or, when the call itself failed, `unreachable` or the reload message) in `error`.
 * `ready` is false until hydrated: a click before the script runs would be
 * lost without a word, so the buttons stay disabled until then.
 */
export function useLabelSender(
  action: (input: { predictionId: string; correctLabel: Label }) => Promise<FeedbackState | AdminLabelState>,
  predictionId: string,
  onSaved: (label: Label) => void,
  unreachable: string,
) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const ready = useHydrated();

  function send(correctLabel: Label) {
    setError(null);
    startTransition(async () => {
      try {
        const state = await action({ predictionId, correctLabel });
        if (state.status === 'success') onSaved(state.correctLabel);
        else setError(state.message);
      } catch (error) {
        setError(unansweredCallMessage(error, unreachable));
      }
    });
  }

  return { send, error, pending, ready };
}
