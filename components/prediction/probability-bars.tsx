import { LABELS, type Label } from '~/lib/config';
import type { Probabilities } from '~/lib/prediction-state';
import { formatPercent, LABEL_COLOURS, labelText } from './label-text';

/**
 * One labelled bar per class; the predicted class is bold. Each group is one
 * div of dt and dd (all a dl may hold); the bar is a second dd, hidden from
 * screen readers because the percentage before it already says the same.
 */
export function ProbabilityBars({ probabilities, predicted }: { probabilities: Probabilities; predicted: Label }) {
  return (
    <dl className="space-y-2">
      {LABELS.map((label) => {
        const value = probabilities[label];
        return (
          <div key={label} className="grid grid-cols-[1fr_auto] items-baseline gap-x-3 text-sm">
            <dt className={label === predicted ? 'font-semibold' : 'text-slate-600 dark:text-slate-300'}>{labelText(label)}</dt>
            <dd className="tabular-nums text-slate-700 dark:text-slate-200">{formatPercent(value)}</dd>
            <dd className="col-span-2 mt-1 h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800" aria-hidden="true">
              <div className={`h-full rounded-full ${LABEL_COLOURS[label].bar}`} style={{ width: `${Math.max(value * 100, 0.5)}%` }} />
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
