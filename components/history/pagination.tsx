import { Pager } from '~/components/ui/pager';
import type { HistoryQuery } from '~/lib/validations/prediction';
import { historyHref } from '~/components/history/history-search';

/** `query.page` is the page shown, already clamped to `pageCount` by the page. */
export function Pagination({ query, pageCount }: { query: HistoryQuery; pageCount: number }) {
  const { page } = query;
  return (
    <Pager
      newer={{ href: historyHref(query, page - 1), disabled: page <= 1 }}
      older={{ href: historyHref(query, page + 1), disabled: page >= pageCount }}
      page={page}
      pageCount={pageCount}
    />
  );
}
