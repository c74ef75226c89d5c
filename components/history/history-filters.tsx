import Link from 'next/link';
import { buttonClasses } from '~/components/ui/button';
import { LABELS } from '~/lib/config';
import type { HistoryQuery } from '~/lib/validations/prediction';
import { labelText } from '~/components/prediction/label-text';

const FEEDBACK_TEXT = {
  any: 'Any feedback',
  none: 'No feedback yet',
  given: 'With feedback',
  confirmed: 'Confirmed right',
  corrected: 'Corrected',
} as const;

const selectClasses =
  'h-10 rounded-lg border border-slate-300 bg-white px-3 text-sm shadow-sm dark:border-slate-600 dark:bg-slate-800';

/** A plain GET form: works without JavaScript and keeps filters in the URL. */
export function HistoryFilters({ query }: { query: HistoryQuery }) {
  return (
    <form method="get" action="/history" className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter history">
      <div className="flex flex-col gap-1">
        <label htmlFor="filter-label" className="text-xs font-medium text-slate-600 dark:text-slate-300">
          Predicted label
        </label>
        <select id="filter-label" name="label" defaultValue={query.label} className={selectClasses}>
          <option value="all">All labels</option>
          {LABELS.map((label) => (
            <option key={label} value={label}>
              {labelText(label)}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="filter-feedback" className="text-xs font-medium text-slate-600 dark:text-slate-300">
          Feedback
        </label>
        <select id="filter-feedback" name="feedback" defaultValue={query.feedback} className={selectClasses}>
          {Object.entries(FEEDBACK_TEXT).map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className={buttonClasses({ variant: 'secondary' })}>
        Apply
      </button>
      {query.label !== 'all' || query.feedback !== 'any' ? (
        <Link href="/history" className={buttonClasses({ variant: 'ghost' })}>
          Clear
        </Link>
      ) : null}
    </form>
  );
}
