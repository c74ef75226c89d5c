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

/** The first page of the list under `query` without its filters (a chosen page size is not a filter, and stays). */
export function clearedHistoryHref(query: HistoryQuery): string {
  return historyHref({ ...query, label: 'all', feedback: 'any' }, 1);
}

/** `historySearch` with the page too: the parameters of one page of the list. */
export function historyPageSearch(query: HistoryQuery, page: number): URLSearchParams {
  const params = historySearch(query);
  if (page > 1) params.set('page', String(page));
  return params;
}

/** The link to one page of the history under `query`'s filters. */
export function historyHref(query: HistoryQuery, page: number): string {
  return withSearch('/history', historyPageSearch(query, page).toString());
}

/**
 * The links to the pages of predictions opened from the list page `query` shows, the list's parameters built once
 * for all its items. Each carries them, so that its way back, and where a delete lands, is the same filtered page of
 * the list, not the first page of everything.
 */
export function predictionHrefs(query: HistoryQuery): (id: string) => string {
  const search = historyPageSearch(query, query.page).toString();
  return (id) => withSearch(`/history/${id}`, search);
}

/** `path` with the query string `search` (a URLSearchParams' toString()), if there is one. */
export function withSearch(path: string, search: string): string {
  return search ? `${path}?${search}` : path;
}
