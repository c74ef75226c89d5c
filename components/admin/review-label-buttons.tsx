'use client';

import { setConfirmedLabelAction } from '~/app/admin/actions';
import { labelText } from '~/components/prediction/label-text';
import { buttonClasses } from '~/components/ui/button';
import { PendingButton } from '~/components/ui/pending-button';
import { useLabelSender } from '~/components/prediction/use-label-sender';
import { useConfirmedLabel } from './review-item-state';
import { LABELS, type Label } from '~/lib/config';

/** Sets or fixes the confirmed label of one prediction in the review queue; inside its card's ReviewItemState. */
export function ReviewLabelButtons({ predictionId, predicted }: { predictionId: string; predicted: Label }) {
  const [current, setCurrent] = useConfirmedLabel();
  const { send, error, pending, ready } = useLabelSender(setConfirmedLabelAction, predictionId, setCurrent, 'The label could not be sent. Check your connection and try again.');

  return (
    <fieldset className="space-y-1" aria-busy={pending} disabled={!ready} data-ready={ready}>
      <legend className="text-xs font-medium text-slate-600 dark:text-slate-300">Confirmed label</legend>
      <div className="flex flex-wrap gap-1">
        {LABELS.map((label) => (
          <PendingButton
            key={label}
            type="button"
            data-testid={`review-set-${label}`}
            aria-pressed={current === label}
            pending={pending}
            onClick={() => send(label)}
            className={buttonClasses({ variant: current === label ? 'primary' : 'secondary', size: 'sm' })}
          >
            {current === label ? '✓ ' : ''}
            {labelText(label)}
          </PendingButton>
        ))}
      </div>
      <p className="min-h-5 text-xs" aria-live="polite" data-testid="review-status">
        {error ? (
          <span className="text-red-700 dark:text-red-300">{error}</span>
        ) : current ? (
          <span className="text-slate-600 dark:text-slate-300">{current === predicted ? 'Prediction confirmed.' : `Corrected to ${labelText(current)}.`}</span>
        ) : (
          <span className="text-slate-600 dark:text-slate-300">No feedback yet.</span>
        )}
      </p>
    </fieldset>
  );
}
