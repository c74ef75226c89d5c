import { addressLimitKey, FixedWindowRateLimiter, RecentAddresses } from '~/lib/serving/rate-limit';

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

  it('counts nothing for a refused request: a large batch refused near the limit leaves room for a smaller one', () => {
    const limiter = new FixedWindowRateLimiter(20, 60_000, 100, () => 0);
    expect(limiter.hit('owner', 15)).toMatchObject({ allowed: true, remaining: 5 });
    expect(limiter.hit('owner', 16)).toMatchObject({ allowed: false, remaining: 5 });
    expect(limiter.hit('owner', 5)).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.hit('owner', 1)).toMatchObject({ allowed: false, remaining: 0 });
  });

  it('says whether a request of `count` could ever be allowed', () => {
    expect([3, 4].map((count) => new FixedWindowRateLimiter(3).admits(count))).toEqual([true, false]);
    expect(new FixedWindowRateLimiter(0).admits(1_000)).toBe(true);
  });

  it('0 turns it off', () => {
    const limiter = new FixedWindowRateLimiter(0);
    expect(limiter.enabled).toBe(false);
    for (let i = 0; i < 1000; i++) expect(limiter.hit('x').allowed).toBe(true);
  });

  it('keeps a bounded number of keys: while full of live windows, newcomers share one window and nobody already counted is forgotten', () => {
    let now = 0;
    const limiter = new FixedWindowRateLimiter(2, 60_000, 10, () => now);
    for (let i = 0; i < 10; i++) limiter.hit(`k${i}`, 2);
    // Full: a flood of new keys shares one window, so they are limited together…
    expect([0, 1, 2].map((i) => limiter.hit(`new${i}`).allowed)).toEqual([true, true, false]);
    for (let i = 3; i < 1000; i++) expect(limiter.hit(`new${i}`).allowed).toBe(false);
    // …and a key limited before the flood is still limited (its window was not dropped to make room).
    expect(limiter.hit('k0').allowed).toBe(false);
    // Once the windows expire, there is room again and keys count on their own.
    now += 60_000;
    expect(limiter.hit('k0').allowed).toBe(true);
    expect(limiter.hit('new1').allowed).toBe(true);
  });
});

describe('FixedWindowRateLimiter.take: counted up front, given back on success', () => {
  it('gives back what it counted, once, and nothing for a refused request', () => {
    const limiter = new FixedWindowRateLimiter(2, 60_000, 100, () => 0);
    const first = limiter.take('account');
    limiter.hit('account');
    const refused = limiter.take('account');
    expect(refused.allowed).toBe(false);
    refused.giveBack(); // it counted nothing
    expect(limiter.hit('account').allowed).toBe(false);
    first.giveBack();
    first.giveBack(); // twice gives back once
    expect(limiter.hit('account')).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.hit('account').allowed).toBe(false);
  });

  it('gives back to the window it counted in: not to the next one when the window rolled over meanwhile', () => {
    let now = 0;
    const limiter = new FixedWindowRateLimiter(2, 60_000, 100, () => now);
    const late = limiter.take('account');
    now += 60_000;
    limiter.hit('account');
    limiter.hit('account');
    late.giveBack(); // counted in the window that is over: the new window's two stay
    expect(limiter.hit('account').allowed).toBe(false);
  });

  it('gives back to the shared window a request was counted in while the limiter was full', () => {
    const limiter = new FixedWindowRateLimiter(2, 60_000, 2, () => 0);
    limiter.hit('a');
    limiter.hit('b');
    const flooded = limiter.take('newcomer'); // the shared window: 1 of 2
    limiter.hit('other newcomer'); // 2 of 2
    expect(limiter.hit('third newcomer').allowed).toBe(false);
    flooded.giveBack();
    expect(limiter.hit('third newcomer').allowed).toBe(true);
  });
});

describe('RecentAddresses', () => {
  it('keeps the last few addresses per key and a bounded number of keys, least recently used out first', () => {
    const recent = new RecentAddresses(2, 2);
    recent.remember('a', '192.0.2.1');
    recent.remember('a', '192.0.2.2');
    recent.remember('a', '192.0.2.1'); // seen again: the newest, not a second copy
    recent.remember('a', '192.0.2.3');
    expect(['192.0.2.1', '192.0.2.2', '192.0.2.3'].map((address) => recent.has('a', address))).toEqual([true, false, true]);
    expect(recent.has('b', '192.0.2.1')).toBe(false);
    recent.remember('b', '192.0.2.9');
    recent.remember('a', '192.0.2.4'); // 'a' used last, so 'b' is the one to go
    recent.remember('c', '192.0.2.9');
    expect([recent.has('a', '192.0.2.4'), recent.has('b', '192.0.2.9'), recent.has('c', '192.0.2.9')]).toEqual([true, false, true]);
  });

  it('knows an address for maxAgeMs after its last success, and nothing of a key once forgotten', () => {
    let now = 0;
    const recent = new RecentAddresses(4, 100, 1000, () => now);
    recent.remember('a', '192.0.2.1');
    recent.remember('b', '192.0.2.1');
    now = 999;
    expect(recent.has('a', '192.0.2.1')).toBe(true);
    recent.remember('a', '192.0.2.1'); // seen again: known for another maxAgeMs
    now = 1000;
    expect([recent.has('a', '192.0.2.1'), recent.has('b', '192.0.2.1')]).toEqual([true, false]);
    recent.forget('a');
    expect(recent.has('a', '192.0.2.1')).toBe(false);
  });
});

describe('addressLimitKey', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    ['unknown', 'unknown'],
    // With the port a proxy saw it on (Azure's Application Gateway writes X-Forwarded-For so): the port is no part of the client.
    ['192.0.2.1:51234', '192.0.2.1'],
    ['[2001:db8:1:2::7]:51234', '2001:db8:1:2::/64'],
    ['[2001:db8:1:2::7]', '2001:db8:1:2::/64'],
    ['[::ffff:192.0.2.1]:443', '192.0.2.1'],
    // Only an IPv6 address counts as bracketed: '[unknown]' must not join the shared bucket of requests without one.
    ['[unknown]', '[unknown]'],
  ])('%s -> %s', (address, key) => {
    expect(addressLimitKey(address)).toBe(key);
  });
});
