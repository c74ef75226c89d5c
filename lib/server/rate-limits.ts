import 'server-only';

import { headers } from 'next/headers';
import { env } from '~/lib/env';
import { addressLimitKey, FixedWindowRateLimiter, RecentAddresses, type RateLimitDecision } from '~/lib/serving/rate-limit';

/**
 * @file The per-minute limits on sign-in, password checks, sign-up and the
 * upload action (SIGN_IN_RATE_LIMIT, which sizes the sign-in, per-account and
 * password-check limiters, SIGN_UP_RATE_LIMIT, UPLOAD_RATE_LIMIT; 0 = off),
 * in memory, per process. The REST API's anonymous
 * limit lives in lib/server/api/predict.ts.
 *
 * Sign-in is limited twice: every attempt per address, and failed attempts
 * per account (a guess spread over many addresses). A per-account limit is
 * also a way for a stranger to lock the owner out, so it does not apply from
 * an address the account has signed in from in the last 30 days (forgotten
 * when its password changes, its sessions end or it is deleted), and a signed-in
 * user's password checks (changing the password, deleting the account) have
 * a per-user limit of their own that nobody else's attempts can use up.
 */
/** The key of a request that carries no address. */
const UNKNOWN_ADDRESS = 'unknown';

export type RateLimitKind = 'signIn' | 'signInAccount' | 'passwordCheck' | 'signUp' | 'upload';

const globalForLimits = globalThis as unknown as {
  petlensRateLimiters?: Record<RateLimitKind, FixedWindowRateLimiter>;
  petlensSignInAddresses?: RecentAddresses;
};

function createLimiters(limits: Partial<Record<RateLimitKind, number>> = {}): Record<RateLimitKind, FixedWindowRateLimiter> {
  const signIn = limits.signIn ?? env.SIGN_IN_RATE_LIMIT;
  return {
    signIn: new FixedWindowRateLimiter(signIn),
    signInAccount: new FixedWindowRateLimiter(limits.signInAccount ?? signIn),
    passwordCheck: new FixedWindowRateLimiter(limits.passwordCheck ?? signIn),
    signUp: new FixedWindowRateLimiter(limits.signUp ?? env.SIGN_UP_RATE_LIMIT),
    upload: new FixedWindowRateLimiter(limits.upload ?? env.UPLOAD_RATE_LIMIT),
  };
}

function limiters(): Record<RateLimitKind, FixedWindowRateLimiter> {
  return (globalForLimits.petlensRateLimiters ??= createLimiters());
}

function signInAddresses(): RecentAddresses {
  return (globalForLimits.petlensSignInAddresses ??= new RecentAddresses());
}

/** Counts one request against `key` and says whether it is allowed. */
export function hitRateLimit(kind: RateLimitKind, key: string): RateLimitDecision {
  return limiters()[kind].hit(key);
}

/**
 * One sign-in attempt for `email` from `address`: `allowed` is false once the
 * address is over its limit, or the account over its failures from addresses
 * has not signed in from lately (above). An attempt counts as a failure unless
 * `succeeded` is called: that gives it back and makes the address known.
 */
export function startSignInAttempt(email: string, address: string): { allowed: boolean; succeeded(): void } {
  const refused = { allowed: false, succeeded() {} };
  if (!hitRateLimit('signIn', `ip:${address}`).allowed) return refused;
  const accountKey = `email:${email}`;
  // 'unknown' (no address header) is everyone's at once: never an address the account is known at.
  const known = address !== UNKNOWN_ADDRESS && signInAddresses().has(accountKey, address);
  // Counted up front, so parallel guesses cannot all pass before one fails.
  const failure = known ? null : limiters().signInAccount.take(accountKey);
  if (failure && !failure.allowed) return refused;
  return {
    allowed: true,
    succeeded() {
      failure?.giveBack();
      if (address !== UNKNOWN_ADDRESS) signInAddresses().remember(accountKey, address);
    },
  };
}

/** After a password change, "sign out everywhere else" or a deletion: no address is known for the account any more. */
export function forgetSignInAddresses(email: string): void {
  signInAddresses().forget(`email:${email}`);
}

/** Tests: fresh limiters with the given per-minute limits (the rest from env; the account and password-check limits follow signIn), and no known sign-in addresses. */
export function resetRateLimits(limits: Partial<Record<RateLimitKind, number>> = {}): void {
  globalForLimits.petlensRateLimiters = createLimiters(limits);
  globalForLimits.petlensSignInAddresses = new RecentAddresses();
}

/**
 * The key per-address limits count the caller under (an IPv6 caller by its
 * /64: addressLimitKey), from X-Forwarded-For / X-Real-IP. Trustworthy where
 * scripts/serve.cjs (npm start) has rewritten X-Forwarded-For from the
 * connection, or behind a reverse proxy that sets it; under a bare
 * `next start` a client can choose its own key.
 */
export function addressFrom(get: (name: string) => string | null | undefined): string {
  const first = get('x-forwarded-for')?.split(',')[0]?.trim();
  return addressLimitKey(first || get('x-real-ip') || UNKNOWN_ADDRESS);
}

/** The address of the request a server action runs in ('unknown' outside a request, e.g. in tests). */
export async function actionAddress(): Promise<string> {
  try {
    const list = await headers();
    return addressFrom((name) => list.get(name));
  } catch {
    return UNKNOWN_ADDRESS;
  }
}
