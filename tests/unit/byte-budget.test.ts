import { ByteBudget } from '~/lib/serving/byte-budget';

it('leases take bytes while they fit and give back exactly what they took', () => {
  const budget = new ByteBudget(100);
  const first = budget.lease();
  const second = budget.lease();
  expect(first.take(30)).toBe(true);
  expect(first.take(30)).toBe(true);
  expect(second.take(41)).toBe(false); // 60 + 41 > 100: refused, nothing taken
  expect(budget.inUse).toBe(60);
  expect(second.take(40)).toBe(true);
  expect(second.take(1)).toBe(false);
  first.release();
  expect(budget.inUse).toBe(40);
  first.release(); // a second release gives back nothing more
  expect(budget.inUse).toBe(40);
  expect(first.take(1)).toBe(false); // and a released lease takes nothing: it would never give it back
  expect(budget.inUse).toBe(40);
  expect(budget.lease().take(60)).toBe(true);
  second.release();
  expect(budget.inUse).toBe(60);
});
