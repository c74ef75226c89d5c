/**
 * @file API tokens' format and hash. Plain Node, so the scripts that write
 * token rows (scripts/lib/server-rows.ts) make them exactly as the app does.
 */
import { createHash, randomBytes } from 'node:crypto';
import { API_TOKEN } from '~/lib/config';

/**
 * Personal API tokens: `pl_` + 32 random bytes (256 bits, base64url). With
 * that much entropy a fast hash is the right storage: sha256 is not
 * brute-forceable here, and it allows a unique index lookup per call (a slow
 * password hash would be neither needed nor indexable).
 */
export function generateApiToken(): { token: string; prefix: string; tokenHash: string } {
  const token = `${API_TOKEN.scheme}${randomBytes(32).toString('base64url')}`;
  return { token, prefix: token.slice(0, API_TOKEN.prefixLength), tokenHash: hashApiToken(token) };
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Cheap shape check before touching the database. */
export function looksLikeApiToken(token: string): boolean {
  return token.startsWith(API_TOKEN.scheme) && /^[A-Za-z0-9_-]{40,100}$/.test(token);
}
