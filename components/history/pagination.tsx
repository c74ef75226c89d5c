import { Pager } from '~/components/ui/pager';
import type { HistoryQuery } from '~/lib/validations/prediction';
import { HISTORY } from '~/lib/config';

function href(query: HistoryQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.label !== 'all') params.set('label', query.label);
  if (query.feedback !== 'any') params.set('feedback', query.feedback);
  if (query.pageSize !== HISTORY.pageSize) params.set('pageSize', String(query.pageSize));
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `/history?${search}` : '/history';
}

export function Pagination({ query, pageCount }: { query: HistoryQuery; pageCount: number }) {
  const page = Math.min(query.page, pageCount);
  return (
    <Pager
      newer={{ href: href(query, page - 1), disabled: page <= 1 }}
      older={{ href: href(query, page + 1), disabled: page >= pageCount }}
      page={page}
      pageCount={pageCount}
    />
  );
}
