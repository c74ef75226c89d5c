/**
 * @file The database a command-line tool writes to (admin:create,
 * evaluate --record, db:seed:admin-bench): the same one `npm start` serves.
 *
 *  - DATABASE_URL set: that database (it must already be migrated:
 *    `npm run db:migrate`).
 *  - Otherwise the embedded PostgreSQL in PETLENS_DATA_DIR (default .data):
 *    if `npm start` is running it, the tool connects to it (port from its
 *    postmaster.pid, password from the data folder); if not, the tool starts
 *    it the way scripts/start.ts does, applies the migrations, and stops it
 *    again when done.
 *
 * Plain Node (no Next).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { clusterInUse, startEmbeddedPostgres } from '~/lib/db/embedded';
import { migrate } from '~/lib/db/migrate';
import { env } from '~/lib/env';

export interface CliDatabase {
  url: string;
  /** Where the URL came from, for the tool's log line. */
  source: 'DATABASE_URL' | 'running embedded PostgreSQL' | 'embedded PostgreSQL started for this command';
  close(): Promise<void>;
}

/** The URL of the embedded cluster in `dataDir` if a postmaster is running it, else null. */
async function runningEmbeddedUrl(dataDir: string): Promise<string | null> {
  const running = await clusterInUse(path.join(dataDir, 'postgres'));
  if (!running?.port) return null;
  const password = await readFile(path.join(dataDir, 'postgres-password'), 'utf8').catch(() => null);
  return password === null ? null : `postgresql://postgres:${encodeURIComponent(password.trim())}@127.0.0.1:${running.port}/petlens`;
}

export async function openCliDatabase(log: (line: string) => void = () => undefined): Promise<CliDatabase> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, source: 'DATABASE_URL', close: async () => undefined };
  const dataDir = path.resolve(env.PETLENS_DATA_DIR ?? '.data');
  const running = await runningEmbeddedUrl(dataDir);
  if (running) return { url: running, source: 'running embedded PostgreSQL', close: async () => undefined };
  const database = await startEmbeddedPostgres({ dataDir, port: env.EMBEDDED_PG_PORT, log });
  try {
    await migrate(database.url, { log });
  } catch (error) {
    await database.stop();
    throw error;
  }
  return { url: database.url, source: 'embedded PostgreSQL started for this command', close: () => database.stop() };
}
