import { LABELS, type Label } from '~/lib/config';
import type { Probabilities } from '~/lib/prediction-state';
import { formatPercent, LABEL_COLOURS, labelText } from './label-text';

/** One labelled bar per class; the predicted class is bold. */
export function ProbabilityBars({ probabilities, predicted }: { probabilities: Probabilities; predicted: Label }) {
  return (
    <dl className="space-y-2">
      {LABELS.map((label) => {
        const value = probabilities[label];
        return (
          <div key={label}>
            <div className="flex items-baseline justify-between text-sm">
              <dt className={label === predicted ? 'font-semibold' : 'text-slate-600 dark:text-slate-300'}>{labelText(label)}</dt>
              <dd className="tabular-nums text-slate-700 dark:text-slate-200">{formatPercent(value)}</dd>
            </div>
            <div
              className="mt-1 h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
              role="meter"
              aria-label={`${labelText(label)} probability`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(value * 100)}
            >
              <div className={`h-full rounded-full ${LABEL_COLOURS[label].bar}`} style={{ width: `${Math.max(value * 100, 0.5)}%` }} />
            </div>
          </div>
        );
      })}
    </dl>
  );
}
