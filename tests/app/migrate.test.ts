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

it('20261130000000_owner_label: fills the owner’s own label from the feedback no admin has labelled over since', async () => {
  // A database of its own, migrated up to the migration before, holding rows of each kind; then the rest applied.
  const admin = new pg.Client({ connectionString: url() });
  await admin.connect();
  const name = `owner_label_${Date.now()}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'petlens-migrations-'));
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const scratch = new URL(url());
    scratch.pathname = `/${name}`;
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await rm(path.join(dir, '20261130000000_owner_label'), { recursive: true });
    await migrate(scratch.toString(), { dir });
    const client = new pg.Client({ connectionString: scratch.toString() });
    await client.connect();
    try {
      const [{ id: userId }] = (await client.query<{ id: string }>(`INSERT INTO "User" ("id", "email", "passwordHash") VALUES (gen_random_uuid(), 'owner@example.test', '!') RETURNING "id"`)).rows as [{ id: string }];
      /** `reviewed`: by an admin, at the feedback's time (as they set both), or before the owner's later word. */
      const insert = async (owner: string | null, correctLabel: string | null, reviewed: false | 'at the feedback' | 'before it') =>
        (
          await client.query<{ id: string }>(
            `INSERT INTO "Prediction" ("id", "userId", "label", "confidence", "pCat", "pDog", "pNeither", "modelName", "modelVersion", "executionProvider",
                                       "latencyMs", "sha256", "thumbnail", "thumbnailWidth", "thumbnailHeight", "correctLabel", "feedbackAt", "reviewedAt")
             VALUES (gen_random_uuid(), $1, 'cat', 0.9, 0.9, 0.05, 0.05, 'm', '1', 'cpu', 3, repeat('a', 64), '\\x00', 1, 1, $2, CASE WHEN $2::"Label" IS NULL THEN NULL ELSE now() END,
                     CASE $3 WHEN 'at the feedback' THEN now() WHEN 'before it' THEN now() - interval '1 minute' END)
             RETURNING "id"`,
            [owner, correctLabel, reviewed || null],
          )
        ).rows[0]!.id;
      const ownersFeedback = await insert(userId, 'dog', false);
      const adminsLabelSince = await insert(userId, 'neither', 'at the feedback');
      const ownerAgreedSince = await insert(userId, 'cat', 'before it');
      const noFeedback = await insert(userId, null, false);
      const guestLabelledByAdmin = await insert(null, 'dog', 'at the feedback');
      expect((await migrate(scratch.toString())).applied).toEqual(['20261130000000_owner_label']);
      const { rows } = await client.query<{ id: string; ownerLabel: string | null; correctLabel: string | null }>('SELECT "id", "ownerLabel", "correctLabel" FROM "Prediction"');
      const byId = Object.fromEntries(rows.map((row) => [row.id, [row.ownerLabel, row.correctLabel]]));
      expect(byId).toEqual({
        [ownersFeedback]: ['dog', 'dog'],
        // The owner's label was overwritten by the admin's: not known, so none (the figures keep counting the admin's).
        [adminsLabelSince]: [null, 'neither'],
        // The owner gave the label again after the admin's: theirs.
        [ownerAgreedSince]: ['cat', 'cat'],
        [noFeedback]: [null, null],
        [guestLabelledByAdmin]: [null, 'dog'],
      });
      // An owner's label is always counted, and a guest's upload has no owner to give one.
      const setOwnerLabel = (id: string) => client.query(`UPDATE "Prediction" SET "ownerLabel" = 'cat' WHERE "id" = $1`, [id]);
      await expect(setOwnerLabel(noFeedback)).rejects.toThrow(/Prediction_ownerLabel_counted_check/);
      await expect(setOwnerLabel(guestLabelledByAdmin)).rejects.toThrow(/Prediction_ownerLabel_owner_check/);
    } finally {
      await client.end();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
});
