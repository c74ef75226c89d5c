import { Pager } from '~/components/ui/pager';
import type { HistoryQuery } from '~/lib/validations/prediction';
import { historyHref } from '~/components/history/history-search';

/** `query.page` is the page shown, already clamped to `pageCount` by the page. */
export function Pagination({ query, pageCount }: { query: HistoryQuery; pageCount: number }) {
  const { page } = query;
  return (
    <Pager
      newerHref={page > 1 ? historyHref(query, page - 1) : null}
      olderHref={page < pageCount ? historyHref(query, page + 1) : null}
      page={page}
      pageCount={pageCount}
    />
  );
}
