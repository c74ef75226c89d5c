import { FilterField, FilterForm, filterControlClasses } from '~/components/ui/filter-form';
import { HISTORY, LABELS } from '~/lib/config';
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

export function HistoryFilters({ query }: { query: HistoryQuery }) {
  return (
    <FilterForm
      action="/history"
      label="Filter history"
      applied={historySearch(query).toString()}
      filtered={query.label !== 'all' || query.feedback !== 'any'}
    >
      {/* A page size chosen in the URL survives a change of filters (the pager keeps it too). */}
      {query.pageSize !== HISTORY.pageSize ? <input type="hidden" name="pageSize" value={query.pageSize} /> : null}
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
