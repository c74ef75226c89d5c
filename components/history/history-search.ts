import { HISTORY } from '~/lib/config';
import type { HistoryQuery } from '~/lib/validations/prediction';

/**
 * The history's filters as URL parameters, defaults left out so that plain
 * `/history` stays plain. One rule for the pager's links and for the filter
 * form's key (which resets the form when the applied filters change).
 */
export function historySearch(query: Pick<HistoryQuery, 'label' | 'feedback' | 'pageSize'>): URLSearchParams {
  const params = new URLSearchParams();
  if (query.label !== 'all') params.set('label', query.label);
  if (query.feedback !== 'any') params.set('feedback', query.feedback);
  if (query.pageSize !== HISTORY.pageSize) params.set('pageSize', String(query.pageSize));
  return params;
}

/** Whether `query` narrows the history by label or feedback (the page size is not a filter). */
export function isHistoryFiltered(query: Pick<HistoryQuery, 'label' | 'feedback'>): boolean {
  return query.label !== 'all' || query.feedback !== 'any';
}

/** The link to one page of the history under `query`'s filters. */
export function historyHref(query: HistoryQuery, page: number): string {
  const params = historySearch(query);
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `/history?${search}` : '/history';
}
