import { withGaps } from '~/components/admin/accuracy-chart';

it('puts a gap for every day without feedback between the first and the last, so distant days are not drawn as neighbours', () => {
  const points = [
    { period: '2026-02-27', n: 500, accuracy: 0.96 },
    { period: '2026-03-02', n: 1, accuracy: 0 },
  ];
  expect(withGaps(points, 'day')).toEqual([
    { period: '2026-02-27', n: 500, accuracy: 0.96 },
    { period: '2026-02-28', n: 0, accuracy: null },
    { period: '2026-03-01', n: 0, accuracy: null },
    { period: '2026-03-02', n: 1, accuracy: 0 },
  ]);
});

it('steps weeks from Monday to Monday', () => {
  const points = [
    { period: '2026-12-21', n: 10, accuracy: 0.9 },
    { period: '2027-01-04', n: 20, accuracy: 0.95 },
  ];
  expect(withGaps(points, 'week').map((p) => [p.period, p.accuracy])).toEqual([
    ['2026-12-21', 0.9],
    ['2026-12-28', null],
    ['2027-01-04', 0.95],
  ]);
});

it('leaves consecutive periods and an empty list as they are', () => {
  const points = [
    { period: '2026-03-01', n: 3, accuracy: 1 },
    { period: '2026-03-02', n: 4, accuracy: 0.5 },
  ];
  expect(withGaps(points, 'day')).toEqual(points);
  expect(withGaps([], 'week')).toEqual([]);
});
