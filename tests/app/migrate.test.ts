/**
 * The offline migrator against the real test database (already migrated by
 * the global setup).
 */
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { env } from '~/lib/env';
import { migrate, MIGRATIONS_DIR, MigrationError, readMigrations } from '~/lib/db/migrate';

const url = () => {
  if (!env.DATABASE_URL) throw new Error('the app suite needs the global setup’s DATABASE_URL');
  return env.DATABASE_URL;
};

it('records every committed migration in _prisma_migrations and is idempotent', async () => {
  const committed = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  expect(committed.length).toBeGreaterThan(0);
  const again = await migrate(url());
  expect(again).toEqual({ applied: [], alreadyApplied: committed });

  const client = new pg.Client({ connectionString: url() });
  await client.connect();
  try {
    const { rows } = await client.query<{ migration_name: string; checksum: string }>('SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name');
    const expected = await readMigrations();
    expect(rows).toEqual(expected.map((m) => ({ migration_name: m.name, checksum: m.checksum })));
    const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['User', 'Prediction', '_prisma_migrations']));
  } finally {
    await client.end();
  }
});

it('refuses to run when an applied migration was edited afterwards', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'petlens-migrations-'));
  try {
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const [first] = await readMigrations(dir);
    await writeFile(path.join(dir, first!.name, 'migration.sql'), `${first!.sql}\n-- edited\n`);
    await expect(migrate(url(), { dir })).rejects.toThrow(MigrationError);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
