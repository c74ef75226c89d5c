import { buttonClasses } from '~/components/ui/button';
import { FilterField, FilterForm, filterControlClasses } from '~/components/ui/filter-form';
import { modelFilterValue, type AdminFilterQuery } from '~/lib/validations/admin';

/** The query string of these filters (also used by the CSV link). */
export function filterSearch(query: AdminFilterQuery): string {
  const params = new URLSearchParams();
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (query.model) params.set('model', query.model);
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** `models`: those in the per-version table, newest first; each option names one model, `NAME@VERSION`. */
export function AdminFilters({ query, models }: { query: AdminFilterQuery; models: { modelName: string; modelVersion: string }[] }) {
  const listed = models.map((model) => ({ value: modelFilterValue(model), text: `${model.modelVersion} (${model.modelName})` }));
  // A model asked for in the URL that has no predictions in the range still shows as chosen.
  const options = query.model && !listed.some((option) => option.value === query.model) ? [{ value: query.model, text: query.model }, ...listed] : listed;
  const search = filterSearch(query);
  return (
    <FilterForm
      action="/admin"
      label="Filter the dashboard"
      applied={search}
      filtered={Boolean(query.from || query.to || query.model)}
      after={
        <a href={`/admin/export.csv${search}`} className={buttonClasses({ variant: 'ghost' })} data-testid="export-csv" download>
          Export CSV
        </a>
      }
    >
      <FilterField id="filter-from" label="From (UTC)">
        <input id="filter-from" name="from" type="date" defaultValue={query.from} className={filterControlClasses} />
      </FilterField>
      <FilterField id="filter-to" label="To (UTC, inclusive)">
        <input id="filter-to" name="to" type="date" defaultValue={query.to} className={filterControlClasses} />
      </FilterField>
      <FilterField id="filter-model" label="Model">
        <select id="filter-model" name="model" defaultValue={query.model ?? ''} className={filterControlClasses}>
          <option value="">All models</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.text}
            </option>
          ))}
        </select>
      </FilterField>
    </FilterForm>
  );
}
