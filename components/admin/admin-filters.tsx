import Link from 'next/link';
import { buttonClasses } from '~/components/ui/button';
import type { AdminFilterQuery } from '~/lib/validations/admin';

const inputClasses = 'h-10 rounded-lg border border-slate-300 bg-white px-3 text-sm shadow-sm dark:border-slate-600 dark:bg-slate-800';

/** The query string of these filters (also used by the CSV link). */
export function filterSearch(query: AdminFilterQuery): string {
  const params = new URLSearchParams();
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (query.model) params.set('model', query.model);
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** A plain GET form: works without JavaScript and keeps the filters in the URL. */
export function AdminFilters({ query, versions }: { query: AdminFilterQuery; versions: string[] }) {
  const options = query.model && !versions.includes(query.model) ? [query.model, ...versions] : versions;
  const filtered = Boolean(query.from || query.to || query.model);
  return (
    <form method="get" action="/admin" className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter the dashboard">
      <div className="flex flex-col gap-1">
        <label htmlFor="filter-from" className="text-xs font-medium text-slate-600 dark:text-slate-300">
          From (UTC)
        </label>
        <input id="filter-from" name="from" type="date" defaultValue={query.from} className={inputClasses} />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="filter-to" className="text-xs font-medium text-slate-600 dark:text-slate-300">
          To (UTC, inclusive)
        </label>
        <input id="filter-to" name="to" type="date" defaultValue={query.to} className={inputClasses} />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="filter-model" className="text-xs font-medium text-slate-600 dark:text-slate-300">
          Model version
        </label>
        <select id="filter-model" name="model" defaultValue={query.model ?? ''} className={inputClasses}>
          <option value="">All versions</option>
          {options.map((version) => (
            <option key={version} value={version}>
              {version}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className={buttonClasses({ variant: 'secondary' })}>
        Apply
      </button>
      {filtered ? (
        <Link href="/admin" className={buttonClasses({ variant: 'ghost' })}>
          Clear
        </Link>
      ) : null}
      <a href={`/admin/export.csv${filterSearch(query)}`} className={buttonClasses({ variant: 'ghost' })} data-testid="export-csv" download>
        Export CSV
      </a>
    </form>
  );
}
