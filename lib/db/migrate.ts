/**
 * @file Applies the SQL migrations in prisma/migrations (Prisma's folder
 * format: <timestamp>_<name>/migration.sql) in name order, each in its own
 * transaction, under an advisory lock so two starting processes cannot race.
 *
 * Why not `prisma migrate deploy`: Prisma's schema engine is a native binary
 * that the CLI downloads from binaries.prisma.sh at first use; this project
 * must install and start offline, so it applies the committed SQL itself.
 * Applied migrations are recorded in Prisma's own `_prisma_migrations` table
 * (same columns, sha256 checksums), so `prisma migrate deploy` can take over
 * on a machine that has the engine.
 *
 * Plain Node (no Next, no 'server-only'): used by `npm start`, the test setup
 * and `npm run db:migrate`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

export const MIGRATIONS_DIR = path.join(process.cwd(), 'prisma', 'migrations');

// Arbitrary constant shared by every PetLens migrator.
const LOCK_ID = 7_316_002_213;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Reads prisma/migrations/<name>/migration.sql, sorted by name (timestamp first). */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/**
 * Brings the database at `connectionString` up to date. Refuses to go on if
 * an applied migration's file changed since (its checksum differs) or a
 * previous attempt failed half-way: both need a person.
 */
export async function migrate(connectionString: string, options: { dir?: string; log?: (line: string) => void } = {}): Promise<MigrateResult> {
  const log = options.log ?? (() => undefined);
  const migrations = await readMigrations(options.dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const done = new Map(rows.map((r) => [r.migration_name, r]));
    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const row = done.get(migration.name);
      if (row) {
        if (!row.finished_at) throw new MigrationError(`migration ${migration.name} failed earlier; fix the database and mark it rolled back`);
        if (row.checksum !== migration.checksum) throw new MigrationError(`migration ${migration.name} was changed after it was applied`);
        result.alreadyApplied.push(migration.name);
        continue;
      }
      log(`applying migration ${migration.name}`);
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ($1, $2, $3, now(), 1)',
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new MigrationError(`migration ${migration.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      result.applied.push(migration.name);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}
