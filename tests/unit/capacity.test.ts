import { Capacity } from '~/lib/serving/capacity';

it('leases take while it fits and give back exactly what they took', () => {
  const capacity = new Capacity(100);
  const first = capacity.lease();
  const second = capacity.lease();
  expect(first.take(30)).toBe(true);
  expect(first.take(30)).toBe(true);
  expect(first.held).toBe(60);
  expect(second.take(41)).toBe(false); // 60 + 41 > 100: refused, nothing taken
  expect(second.held).toBe(0);
  expect(capacity.inUse).toBe(60);
  expect(second.take(40)).toBe(true);
  expect(second.take(1)).toBe(false);
  first.release();
  expect(capacity.inUse).toBe(40);
  first.release(); // a second release gives back nothing more
  expect(capacity.inUse).toBe(40);
  expect(first.take(1)).toBe(false); // and a released lease takes nothing: it would never give it back
  expect(capacity.inUse).toBe(40);
  expect(capacity.lease().take(60)).toBe(true);
  second.release();
  expect(capacity.inUse).toBe(60);
});

it('a negative or non-integer amount is refused: it would let a lease give back more than it took, or (NaN) lift the limit', () => {
  const capacity = new Capacity(10);
  const lease = capacity.lease();
  expect(lease.take(5)).toBe(true);
  for (const amount of [-5, Number.NaN, Number.POSITIVE_INFINITY, 0.5]) expect(lease.take(amount)).toBe(false);
  expect(capacity.inUse).toBe(5);
  expect(capacity.lease().take(6)).toBe(false);
});

it('tryLease holds the amount at once, or takes nothing and returns null when it does not fit', () => {
  const capacity = new Capacity(3);
  const lease = capacity.tryLease(2);
  expect(lease?.held).toBe(2);
  expect(capacity.tryLease(2)).toBeNull();
  expect(capacity.inUse).toBe(2);
  lease!.release();
  expect(capacity.tryLease(3)?.held).toBe(3);
});
