/**
 * Rows written straight into a launched server's database (see
 * connectToServerDatabase), for the soak run and the end-to-end tests: set-up
 * that the UI would take long to make. Tokens are stored as the app stores
 * them (lib/server/api-tokens.ts, which is server-only and so not imported here).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { API_TOKEN } from '~/lib/config';

/** A user row with this email (and a password hash no password matches); returns its id. */
export async function insertUser(db: Client, email: string): Promise<string> {
  return (await db.query<{ id: string }>(`INSERT INTO "User" (id, email, "passwordHash") VALUES (gen_random_uuid(), $1, 'x') RETURNING id`, [email])).rows[0]!.id;
}

/** An API token of `userId`, stored as the app stores one (its sha256, never the token); returns the token. */
export async function insertApiToken(db: Client, userId: string, { name = 'e2e', revoked = false } = {}): Promise<string> {
  const token = `${API_TOKEN.scheme}${randomBytes(32).toString('base64url')}`;
  await db.query(`INSERT INTO "ApiToken" (id, "userId", name, prefix, "tokenHash", "revokedAt") VALUES (gen_random_uuid(), $1, $2, $3, $4, $5)`, [
    userId,
    name,
    token.slice(0, API_TOKEN.prefixLength),
    createHash('sha256').update(token, 'utf8').digest('hex'),
    revoked ? new Date() : null,
  ]);
  return token;
}
