import 'server-only';

import { headers } from 'next/headers';
import { env } from '~/lib/env';
import { addressLimitKey, FixedWindowRateLimiter, type RateLimitDecision } from '~/lib/serving/rate-limit';

/**
 * @file The per-minute limits on sign-in, sign-up and the upload action
 * (SIGN_IN_RATE_LIMIT, SIGN_UP_RATE_LIMIT, UPLOAD_RATE_LIMIT; 0 = off), one
 * in-memory limiter each per process. The REST API's anonymous limit lives
 * in lib/server/api/predict.ts.
 */
export type RateLimitKind = 'signIn' | 'signUp' | 'upload';


const globalForLimits = globalThis as unknown as { petlensRateLimiters?: Record<RateLimitKind, FixedWindowRateLimiter> };

function limiters(): Record<RateLimitKind, FixedWindowRateLimiter> {
  globalForLimits.petlensRateLimiters ??= {
    signIn: new FixedWindowRateLimiter(env.SIGN_IN_RATE_LIMIT),
    signUp: new FixedWindowRateLimiter(env.SIGN_UP_RATE_LIMIT),
    upload: new FixedWindowRateLimiter(env.UPLOAD_RATE_LIMIT),
  };
  return globalForLimits.petlensRateLimiters;
}

/** Counts one request against each key (each key that allows it counts it) and refuses when any is over its limit. */
export function hitRateLimit(kind: RateLimitKind, ...keys: string[]): RateLimitDecision {
  const decisions = keys.map((key) => limiters()[kind].hit(key));
  return decisions.find((decision) => !decision.allowed) ?? decisions[0] ?? { allowed: true, limit: 0, remaining: Infinity, retryAfterSeconds: 0 };
}

/** Tests: fresh limiters with the given per-minute limits (the rest from env). */
export function resetRateLimits(limits: Partial<Record<RateLimitKind, number>> = {}): void {
  globalForLimits.petlensRateLimiters = {
    signIn: new FixedWindowRateLimiter(limits.signIn ?? env.SIGN_IN_RATE_LIMIT),
    signUp: new FixedWindowRateLimiter(limits.signUp ?? env.SIGN_UP_RATE_LIMIT),
    upload: new FixedWindowRateLimiter(limits.upload ?? env.UPLOAD_RATE_LIMIT),
  };
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
  return addressLimitKey(first || get('x-real-ip') || 'unknown');
}

/** The address of the request a server action runs in ('unknown' outside a request, e.g. in tests). */
export async function actionAddress(): Promise<string> {
  try {
    const list = await headers();
    return addressFrom((name) => list.get(name));
  } catch {
    return 'unknown';
  }
}
