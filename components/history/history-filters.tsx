import { FilterField, FilterForm, filterControlClasses } from '~/components/ui/filter-form';
import { LABELS } from '~/lib/config';
import type { HistoryQuery } from '~/lib/validations/prediction';
import { labelText } from '~/components/prediction/label-text';
import { historySearch } from '~/components/history/history-search';

const FEEDBACK_TEXT = {
  any: 'Any feedback',
  none: 'No feedback yet',
  given: 'With feedback',
  confirmed: 'Confirmed right',
  corrected: 'Corrected',
} as const;

/** The filter form's accessible name (its search landmark's), which the list's other Clear link names too. */
export const HISTORY_FILTERS_LABEL = 'Filter history';

/**
 * `filtered` and `clearHref`: the page's own `isHistoryFiltered(query)` and `clearedHistoryHref(query)`, which it has
 * worked out already (for its empty list's Clear link).
 */
export function HistoryFilters({ query, filtered, clearHref }: { query: HistoryQuery; filtered: boolean; clearHref: string }) {
  const search = historySearch(query);
  const chosenPageSize = search.get('pageSize');
  return (
    <FilterForm
      action="/history"
      clearHref={clearHref}
      label={HISTORY_FILTERS_LABEL}
      applied={search.toString()}
      filtered={filtered}
    >
      {/* A page size chosen in the URL survives a change of filters (the pager keeps it too). */}
      {chosenPageSize !== null ? <input type="hidden" name="pageSize" value={chosenPageSize} /> : null}
      <FilterField id="filter-label" label="Predicted label">
        <select id="filter-label" name="label" defaultValue={query.label} className={filterControlClasses}>
          <option value="all">All labels</option>
          {LABELS.map((label) => (
            <option key={label} value={label}>
              {labelText(label)}
            </option>
          ))}
        </select>
      </FilterField>
      <FilterField id="filter-feedback" label="Feedback">
        <select id="filter-feedback" name="feedback" defaultValue={query.feedback} className={filterControlClasses}>
          {Object.entries(FEEDBACK_TEXT).map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      </FilterField>
    </FilterForm>
  );
}
