/**
 * Instants stay instants whatever PostgreSQL's own time zone is.
 * @prisma/adapter-pg sends a Date as UTC clock time without an offset and reads
 * timestamptz values as if their offset were +00:00, so in a session whose zone
 * is not UTC every date would shift by the offset: rows the database stamps
 * (createdAt) would read back hours off, and an admin purge "before" a day
 * would delete hours more than asked. The embedded server takes the host's
 * zone when its cluster is created, and a DATABASE_URL server may be anywhere,
 * so lib/db/client.ts pins every session of the app to UTC.
 *
 * The test database's default zone is set to New York for this file (files
 * run one at a time) and reset after it.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createPrismaClient } from '~/lib/db/client';
import type { PrismaClient } from '~/lib/generated/prisma/client';
import { tinyWebp } from './helpers';

const url = process.env.DATABASE_URL!;
let admin: pg.Client;
let databaseName: string;
let db: PrismaClient;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  databaseName = (await admin.query<{ name: string }>('SELECT current_database() AS name')).rows[0]!.name;
  await admin.query(`ALTER DATABASE "${databaseName}" SET timezone TO 'America/New_York'`);
  db = createPrismaClient(url, { max: 1 });
});

afterAll(async () => {
  await db?.$disconnect();
  await admin.query(`ALTER DATABASE "${databaseName}" RESET timezone`);
  await admin.end();
});

it("reads and writes instants right when the database's default time zone is not UTC", async () => {
  // A plain new session gets New York: the setting is in force.
  const plain = new pg.Client({ connectionString: url });
  await plain.connect();
  try {
    expect((await plain.query<{ TimeZone: string }>('SHOW TIME ZONE')).rows[0]!.TimeZone).toBe('America/New_York');
  } finally {
    await plain.end();
  }
  expect(await db.$queryRaw<{ TimeZone: string }[]>`SHOW TIME ZONE`).toEqual([{ TimeZone: 'UTC' }]);

  // Stamped by the database: read back as now, not hours off.
  const user = await db.user.create({ data: { email: `tz-${randomUUID()}@example.test`, passwordHash: 'not a hash' } });
  const stamped = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { createdAt: true } });
  expect(Math.abs(stamped.createdAt.getTime() - Date.now())).toBeLessThan(60_000);

  // Written from JavaScript: stored as that instant, as SQL sees it too.
  const at = new Date('2026-03-10T00:00:00.000Z');
  const { webp, width, height } = await tinyWebp();
  const prediction = await db.prediction.create({
    data: {
      userId: user.id, label: 'cat', confidence: 0.9, pCat: 0.9, pDog: 0.05, pNeither: 0.05, modelName: 'm', modelVersion: 'tz',
      executionProvider: 'cpu', latencyMs: 1, sha256: '0'.repeat(64), thumbnail: Uint8Array.from(webp), thumbnailWidth: width, thumbnailHeight: height, createdAt: at,
    },
  });
  const [{ utc }] = (await db.$queryRaw<{ utc: string }[]>`
    SELECT to_char("createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS utc FROM "Prediction" WHERE id = ${prediction.id}::uuid`) as [{ utc: string }];
  expect(utc).toBe('2026-03-10T00:00:00');
  const read = await db.prediction.findUniqueOrThrow({ where: { id: prediction.id }, select: { createdAt: true } });
  expect(read.createdAt.toISOString()).toBe(at.toISOString());
  // A comparison in SQL against a JavaScript date (what the purges and filters do).
  expect(await db.prediction.count({ where: { id: prediction.id, createdAt: { lt: new Date('2026-03-10T00:00:01.000Z') } } })).toBe(1);
  expect(await db.prediction.count({ where: { id: prediction.id, createdAt: { lt: at } } })).toBe(0);

  await db.user.delete({ where: { id: user.id } });
});
