import type { Metadata } from 'next';
import Link from 'next/link';
import { HISTORY_FILTERS_LABEL, HistoryFilters } from '~/components/history/history-filters';
import { ClearFiltersLink } from '~/components/ui/clear-filters-link';
import { Pagination } from '~/components/history/pagination';
import { clearedHistoryHref, historyHref, isHistoryFiltered } from '~/components/history/history-search';
import { PredictionList } from '~/components/history/prediction-list';
import { Alert } from '~/components/ui/alert';
import { buttonClasses } from '~/components/ui/button';
import { requireUser } from '~/lib/server/auth';
import { getPredictionsByUserId } from '~/lib/server/queries/predictions';
import { parseHistoryQuery } from '~/lib/validations/prediction';
import { ForgetSearchParam } from '~/components/ui/forget-search-param';
import { ReceiveLostFocus } from '~/components/ui/receive-lost-focus';

export const metadata: Metadata = { title: 'History' };

export default async function HistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const asked = parseHistoryQuery(params);
  const user = await requireUser(historyHref(asked, asked.page));
  let result = await getPredictionsByUserId({ userId: user.id, ...asked });
  // A page past the end (an old link, the last item deleted) shows the last page rather than
  // "No predictions yet." under a count. Clamped, not redirected: under loading.tsx a redirect would be client-side.
  if (result.total > 0 && asked.page > result.pageCount) {
    result = await getPredictionsByUserId({ userId: user.id, ...asked, page: result.pageCount });
  }
  const query = { ...asked, page: result.page };
  const filtered = isHistoryFiltered(query);
  const clearHref = clearedHistoryHref(query);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Your history</h1>
          <p className="text-sm text-slate-600 dark:text-slate-300">
            {result.total === 1 ? '1 prediction' : `${result.total} predictions`}
            {filtered ? ' match these filters' : ''}, newest first.
          </p>
        </div>
        <HistoryFilters query={query} filtered={filtered} clearHref={clearHref} />
      </div>
      {params.deleted === '1' ? (
        // The Delete button that had the keyboard focus went with the prediction's page: the news takes it.
        <ReceiveLostFocus>
          <Alert tone="success" role="status">
            The prediction and its thumbnail were deleted.
          </Alert>
          {/* Said once: a reload of this page must not say it again. */}
          <ForgetSearchParam name="deleted" />
        </ReceiveLostFocus>
      ) : null}
      {result.items.length === 0 ? (
        <div className="rounded-2xl border border-dashed border-slate-300 px-6 py-16 text-center dark:border-slate-700" data-testid="history-empty">
          <p className="text-lg font-medium">{filtered ? 'Nothing matches these filters.' : 'No predictions yet.'}</p>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
            {filtered ? 'Try other filters, or clear them.' : 'Photos you classify while signed in show up here.'}
          </p>
          {filtered ? (
            <ClearFiltersLink href={clearHref} form={HISTORY_FILTERS_LABEL} className={`${buttonClasses()} mt-4`}>
              Clear filters
            </ClearFiltersLink>
          ) : (
            <Link href="/" className={`${buttonClasses()} mt-4`}>
              Classify a photo
            </Link>
          )}
        </div>
      ) : (
        <PredictionList items={result.items} query={query} />
      )}
      <Pagination query={query} pageCount={result.pageCount} />
    </div>
  );
}
