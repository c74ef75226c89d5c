import Link from 'next/link';
import { buttonClasses } from '~/components/ui/button';
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
  if (pageCount <= 1) return null;
  const page = Math.min(query.page, pageCount);
  const disabled = 'pointer-events-none opacity-50';
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-3">
      <Link
        href={href(query, page - 1)}
        aria-disabled={page <= 1}
        tabIndex={page <= 1 ? -1 : undefined}
        className={buttonClasses({ variant: 'secondary', className: page <= 1 ? disabled : '' })}
        rel="prev"
      >
        ← Newer
      </Link>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Page {page} of {pageCount}
      </p>
      <Link
        href={href(query, page + 1)}
        aria-disabled={page >= pageCount}
        tabIndex={page >= pageCount ? -1 : undefined}
        className={buttonClasses({ variant: 'secondary', className: page >= pageCount ? disabled : '' })}
        rel="next"
      >
        Older →
      </Link>
    </nav>
  );
}
