/**
 * The e2e files' direct line to the launcher's embedded PostgreSQL, for
 * setting up rows the UI would take long to make and for checking what was
 * stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import type { E2eServer } from './e2e-server';

/** The launcher's embedded PostgreSQL: port from its log, password beside the cluster. */
export async function connectToServerDatabase(e2e: E2eServer): Promise<Client> {
  const port = /embedded PostgreSQL on 127\.0\.0\.1:(\d+)/.exec(await readFile(e2e.logFile, 'utf8'))?.[1];
  if (!port) throw new Error(`no embedded PostgreSQL port in ${e2e.logFile}`);
  const password = (await readFile(path.join(e2e.dataDir, 'postgres-password'), 'utf8')).trim();
  const client = new Client({ host: '127.0.0.1', port: Number(port), user: 'postgres', password, database: 'petlens' });
  await client.connect();
  return client;
}

/** An API token of `userId`, stored as the app stores one (its sha256, never the token); returns the token. */
export async function insertApiToken(db: Client, userId: string, { name = 'e2e', revoked = false } = {}): Promise<string> {
  const token = `pl_${randomBytes(32).toString('base64url')}`;
  await db.query(`INSERT INTO "ApiToken" (id, "userId", name, prefix, "tokenHash", "revokedAt") VALUES (gen_random_uuid(), $1, $2, $3, $4, $5)`, [
    userId,
    name,
    token.slice(0, 10),
    createHash('sha256').update(token, 'utf8').digest('hex'),
    revoked ? new Date() : null,
  ]);
  return token;
}
