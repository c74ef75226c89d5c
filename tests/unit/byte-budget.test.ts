import { ByteBudget } from '~/lib/serving/byte-budget';

it('takes bytes while they fit, refuses (taking nothing) when they do not, and takes again once given back', () => {
  const budget = new ByteBudget(100);
  expect(budget.tryTake(60)).toBe(true);
  expect(budget.tryTake(41)).toBe(false);
  expect(budget.inUse).toBe(60);
  expect(budget.tryTake(40)).toBe(true);
  expect(budget.tryTake(1)).toBe(false);
  budget.give(60);
  expect(budget.inUse).toBe(40);
  expect(budget.tryTake(60)).toBe(true);
  budget.give(1000);
  expect(budget.inUse).toBe(0);
});
