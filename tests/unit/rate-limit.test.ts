import { FixedWindowRateLimiter } from '~/lib/serving/rate-limit';

describe('FixedWindowRateLimiter', () => {
  it('allows `limit` requests per key per window, then refuses with a retry time', () => {
    let now = 1_000_000;
    const limiter = new FixedWindowRateLimiter(3, 60_000, 100, () => now);
    expect([1, 2, 3].map(() => limiter.hit('1.2.3.4').allowed)).toEqual([true, true, true]);
    const refused = limiter.hit('1.2.3.4');
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 60 });
    expect(limiter.hit('5.6.7.8').allowed).toBe(true);
    now += 60_000;
    expect(limiter.hit('1.2.3.4')).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('0 turns it off', () => {
    const limiter = new FixedWindowRateLimiter(0);
    expect(limiter.enabled).toBe(false);
    for (let i = 0; i < 1000; i++) expect(limiter.hit('x').allowed).toBe(true);
  });

  it('keeps a bounded number of keys', () => {
    let now = 0;
    const limiter = new FixedWindowRateLimiter(1, 60_000, 10, () => now);
    for (let i = 0; i < 1000; i++) limiter.hit(`k${i}`);
    now += 1;
    // The map was pruned rather than grown: an early key starts a fresh window.
    expect(limiter.hit('k0').allowed).toBe(true);
  });
});
