/**
 * Rows written straight into a launched server's database (see
 * connectToServerDatabase), for the soak run and the end-to-end tests: set-up
 * that the UI would take long to make. Tokens are made and stored as the app
 * makes and stores them (lib/api-tokens.ts).
 */
import type { Client } from 'pg';
import { generateApiToken } from '~/lib/api-tokens';

/** A user row with this email (and a password hash no password matches); returns its id. */
export async function insertUser(db: Client, email: string): Promise<string> {
  return (await db.query<{ id: string }>(`INSERT INTO "User" (id, email, "passwordHash") VALUES (gen_random_uuid(), $1, 'x') RETURNING id`, [email])).rows[0]!.id;
}

/** An API token of `userId`, stored as the app stores one (its sha256, never the token); returns the token. */
export async function insertApiToken(db: Client, userId: string, { name = 'e2e', revoked = false } = {}): Promise<string> {
  const { token, prefix, tokenHash } = generateApiToken();
  await db.query(`INSERT INTO "ApiToken" (id, "userId", name, prefix, "tokenHash", "revokedAt") VALUES (gen_random_uuid(), $1, $2, $3, $4, $5)`, [
    userId,
    name,
    prefix,
    tokenHash,
    revoked ? new Date() : null,
  ]);
  return token;
}
