'use client';

import { useState } from 'react';
import { submitFeedbackAction } from '~/app/(app)/actions';
import { LABELS, type Label } from '~/lib/config';
import { buttonClasses } from '~/components/ui/button';
import { PendingButton } from '~/components/ui/pending-button';
import { labelText } from './label-text';
import { useLabelSender } from './use-label-sender';

/**
 * "Is this right?": confirm the predicted label or pick the correct one.
 * Stored per prediction; the admin accuracy view is computed from it.
 */
export function FeedbackButtons({ predictionId, predicted, initial }: { predictionId: string; predicted: Label; initial: Label | null }) {
  const [current, setCurrent] = useState<Label | null>(initial);
  const { send, error, pending, ready } = useLabelSender(submitFeedbackAction, predictionId, setCurrent, 'Your feedback could not be sent. Check your connection and try again.');

  const others = LABELS.filter((label) => label !== predicted);
  return (
    <fieldset className="space-y-2" aria-busy={pending} disabled={!ready} data-ready={ready}>
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-200">Is this right?</legend>
      <div className="flex flex-wrap gap-2">
        <PendingButton
          type="button"
          data-testid="feedback-confirm"
          aria-pressed={current === predicted}
          pending={pending}
          onClick={() => send(predicted)}
          className={buttonClasses({ variant: current === predicted ? 'primary' : 'secondary', size: 'sm' })}
        >
          {current === predicted ? '✓ ' : ''}Yes, it’s {predicted === 'neither' ? 'neither' : `a ${predicted}`}
        </PendingButton>
        {others.map((label) => (
          <PendingButton
            key={label}
            type="button"
            data-testid={`feedback-${label}`}
            aria-pressed={current === label}
            pending={pending}
            onClick={() => send(label)}
            className={buttonClasses({ variant: current === label ? 'primary' : 'secondary', size: 'sm' })}
          >
            {current === label ? '✓ ' : ''}No: {labelText(label)}
          </PendingButton>
        ))}
      </div>
      <p className="min-h-5 text-sm" aria-live="polite" data-testid="feedback-status">
        {error ? (
          <span className="text-red-700 dark:text-red-300">{error}</span>
        ) : current ? (
          <span className="text-slate-600 dark:text-slate-300">
            Saved: {current === predicted ? 'confirmed' : 'corrected to'} {labelText(current)}.
          </span>
        ) : null}
      </p>
    </fieldset>
  );
}
