/**
 * @file A fixed-window rate limiter keyed by a string (an IP address), in
 * memory, with a bounded number of keys so a flood of distinct addresses
 * cannot grow it without limit, and the recent addresses of a key (the
 * accounts' sign-ins). Per process: several instances behind a load balancer
 * each count on their own.
 */
import { isIPv6 } from 'node:net';

/**
 * The key per-address limits count a client under: an IPv4 address as it is,
 * an IPv6 address by its /64 network, and an IPv4-mapped IPv6 address
 * (::ffff:192.0.2.1) as its IPv4 address. One home or phone usually holds a
 * whole /64, so keying by the full IPv6 address would give it 2^64 fresh
 * windows to rotate through.
 */
export function addressLimitKey(address: string): string {
  // Some proxies write the address with the port they saw it on (192.0.2.1:51234, [2001:db8::1]:51234): each new
  // connection's port must not make a new client.
  const ipv4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(address);
  if (ipv4WithPort) return ipv4WithPort[1]!;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(address);
  if (bracketed && isIPv6(bracketed[1]!.split('%')[0]!)) return addressLimitKey(bracketed[1]!);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  const bare = address.split('%')[0]!; // a zone id (fe80::1%eth0) is not part of the address
  if (!isIPv6(bare)) return address;
  const [head = '', tail] = bare.split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  // An embedded IPv4 tail (::ffff:… was handled above; 64:ff9b::1.2.3.4) counts as two groups.
  const width = (parts: string[]) => parts.reduce((n, part) => n + (part.includes('.') ? 2 : 1), 0);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const full = tail === undefined ? left : [...left, ...Array<string>(8 - width(left) - width(right)).fill('0'), ...right];
  return `${full.slice(0, 4).map((group) => parseInt(group, 16).toString(16)).join(':')}::/64`;
}
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  retryAfterSeconds: number;
}

/** The window that keys arriving while the limiter is full of live windows share. */
const OVERFLOW_KEY = '\u0000overflow';

export class FixedWindowRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  /** No window can expire before this time (set by prune). */
  private earliestExpiry = -Infinity;

  constructor(
    /** Requests per window; 0 = unlimited. */
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.limit > 0;
  }

  /** Whether `count` at once can ever be allowed (a request asking for more never will be, whenever it comes). */
  admits(count: number): boolean {
    return this.limit <= 0 || count <= this.limit;
  }

  /**
   * Counts `count` requests (or images) for `key` and says whether they are
   * allowed. A refused request counts nothing: 16 images refused at 1,190 of
   * 1,200 must not use up the 10 that a smaller request could still have.
   */
  hit(key: string, count = 1): RateLimitDecision {
    return this.count(key, count).decision;
  }

  /**
   * `hit`, with a way to give the requests back: for limits that count only
   * failures, a request is counted up front (so a burst of parallel attempts
   * cannot all pass a check made before any of them failed) and given back
   * when it succeeds. It goes back to the window it was counted in, whichever
   * that was (a key's own, or the shared one of a flood), and to none once
   * that window is over: a later window never loses a count it did not take.
   */
  take(key: string, count = 1): RateLimitDecision & { giveBack(): void } {
    const { decision, window } = this.count(key, count);
    let given = !window;
    const giveBack = () => {
      if (given) return;
      given = true;
      // A window renewed since is a new object: the old one, no longer counted, takes the decrement harmlessly.
      window!.count = Math.max(0, window!.count - count);
    };
    return { ...decision, giveBack };
  }

  /** The decision for `count` more requests of `key`, and the window they were counted in (none if not counted). */
  private count(key: string, count: number): { decision: RateLimitDecision; window: { start: number; count: number } | null } {
    if (this.limit <= 0) return { decision: { allowed: true, limit: 0, remaining: Infinity, retryAfterSeconds: 0 }, window: null };
    const now = this.now();
    let slot = key;
    let window = this.windows.get(slot);
    if (!window && this.windows.size >= this.maxKeys) {
      // A scan of every window only when one of them can have expired: under a
      // flood of new keys, not one scan per request.
      if (now >= this.earliestExpiry) this.prune(now);
      // Still full of live windows (a flood of distinct keys): newcomers share
      // one window rather than push out the counts of keys already limited.
      if (this.windows.size >= this.maxKeys) {
        slot = OVERFLOW_KEY;
        window = this.windows.get(slot);
      }
    }
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(slot, window);
    }
    const allowed = window.count + count <= this.limit;
    if (allowed) window.count += count;
    const retryAfterSeconds = Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
    return { decision: { allowed, limit: this.limit, remaining: Math.max(0, this.limit - window.count), retryAfterSeconds }, window: allowed ? window : null };
  }

  private prune(now: number): void {
    let oldestStart = now;
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(key);
      else oldestStart = Math.min(oldestStart, window.start);
    }
    // Windows only ever start later than this (new ones, renewed ones), so none expires sooner.
    this.earliestExpiry = oldestStart + this.windowMs;
  }
}

/**
 * The addresses each key (an account) last succeeded from within `maxAgeMs`: a
 * few per key, for a bounded number of keys (the least recently used goes
 * first). In memory, per process, like the limiters.
 */
export class RecentAddresses {
  private readonly byKey = new Map<string, { address: string; seenAt: number }[]>();

  constructor(
    private readonly perKey = 4,
    private readonly maxKeys = 100_000,
    private readonly maxAgeMs = 30 * 24 * 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  remember(key: string, address: string): void {
    const others = (this.byKey.get(key) ?? []).filter((known) => known.address !== address);
    this.byKey.delete(key); // re-inserted last: a Map iterates in insertion order
    this.byKey.set(key, [{ address, seenAt: this.now() }, ...others].slice(0, this.perKey));
    if (this.byKey.size > this.maxKeys) this.byKey.delete(this.byKey.keys().next().value!);
  }

  has(key: string, address: string): boolean {
    const known = this.byKey.get(key)?.find((entry) => entry.address === address);
    return known !== undefined && this.now() - known.seenAt < this.maxAgeMs;
  }

  /** Forgets every address of `key` (its password changed, its sessions ended, it was deleted). */
  forget(key: string): void {
    this.byKey.delete(key);
  }
}
