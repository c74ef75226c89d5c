import { buttonClasses } from '~/components/ui/button';
import { FilterField, FilterForm, filterControlClasses } from '~/components/ui/filter-form';
import type { AdminFilterQuery } from '~/lib/validations/admin';

/** The query string of these filters (also used by the CSV link). */
export function filterSearch(query: AdminFilterQuery): string {
  const params = new URLSearchParams();
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (query.model) params.set('model', query.model);
  const search = params.toString();
  return search ? `?${search}` : '';
}

export function AdminFilters({ query, versions }: { query: AdminFilterQuery; versions: string[] }) {
  const options = query.model && !versions.includes(query.model) ? [query.model, ...versions] : versions;
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
      <FilterField id="filter-model" label="Model version">
        <select id="filter-model" name="model" defaultValue={query.model ?? ''} className={filterControlClasses}>
          <option value="">All versions</option>
          {options.map((version) => (
            <option key={version} value={version}>
              {version}
            </option>
          ))}
        </select>
      </FilterField>
    </FilterForm>
  );
}
