import { historyHref, historySearch, isHistoryFiltered, predictionHrefs } from '~/components/history/history-search';
import { HISTORY } from '~/lib/config';
import type { HistoryQuery } from '~/lib/validations/prediction';

const defaults: HistoryQuery = { label: 'all', feedback: 'any', pageSize: HISTORY.pageSize, page: 1 };

it('links the first page of an unfiltered history as plain /history', () => {
  expect(historyHref(defaults, 1)).toBe('/history');
  expect(historySearch(defaults).toString()).toBe('');
});

it('keeps the filters and a chosen page size in every page link, and leaves page 1 out', () => {
  const query: HistoryQuery = { label: 'dog', feedback: 'corrected', pageSize: 50, page: 3 };
  expect(historyHref(query, 4)).toBe('/history?label=dog&feedback=corrected&pageSize=50&page=4');
  expect(historyHref(query, 1)).toBe('/history?label=dog&feedback=corrected&pageSize=50');
});

it('gives the filter form a key that changes with the filters but not with the page', () => {
  const onPage2: HistoryQuery = { ...defaults, label: 'cat', page: 2 };
  const onPage5: HistoryQuery = { ...onPage2, page: 5 };
  expect(historySearch(onPage2).toString()).toBe(historySearch(onPage5).toString());
  expect(historySearch(onPage2).toString()).not.toBe(historySearch({ ...onPage2, label: 'dog' }).toString());
});

it('counts label and feedback as filters, not the page size', () => {
  expect(isHistoryFiltered(defaults)).toBe(false);
  const largerPages: HistoryQuery = { ...defaults, pageSize: 50 };
  expect(isHistoryFiltered(largerPages)).toBe(false);
  expect(isHistoryFiltered({ ...defaults, label: 'neither' })).toBe(true);
  expect(isHistoryFiltered({ ...defaults, feedback: 'none' })).toBe(true);
});

it("links a prediction's page with the list page it is opened from, and plainly from the first unfiltered page", () => {
  const id = '0b7f3f0e-8a4c-4f57-9b1a-1d2c3e4f5a6b';
  expect(predictionHrefs(defaults)(id)).toBe(`/history/${id}`);
  expect(predictionHrefs({ label: 'cat', feedback: 'none', pageSize: 6, page: 3 })(id)).toBe(`/history/${id}?label=cat&feedback=none&pageSize=6&page=3`);
});
