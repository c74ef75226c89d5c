import 'server-only';

import { PrismaPg } from '@prisma/adapter-pg';
import { env } from '~/lib/env';
import { PrismaClient } from '~/lib/generated/prisma/client';

function createPrismaClient(): PrismaClient {
  if (!env.DATABASE_URL) {
    throw new Error('DATABASE_URL is not set: start the app with `npm start` (it runs an embedded PostgreSQL) or set DATABASE_URL');
  }
  const adapter = new PrismaPg({
    connectionString: env.DATABASE_URL,
    // pg has no connect timeout by default: a dead database must fail a request, not hang it.
    connectionTimeoutMillis: 5_000,
    max: 10,
  });
  // Tests provoke constraint errors on purpose; callers log what matters.
  const log: ('warn' | 'error')[] = env.NODE_ENV === 'development' ? ['warn', 'error'] : env.NODE_ENV === 'test' ? [] : ['error'];
  return new PrismaClient({ adapter, log });
}

const globalForPrisma = globalThis as unknown as { petlensPrisma?: PrismaClient };

/**
 * One Prisma client per process. Created on first use (not at import, which
 * `next build` does) and parked on globalThis so dev hot reloads reuse it.
 */
export function getDb(): PrismaClient {
  globalForPrisma.petlensPrisma ??= createPrismaClient();
  return globalForPrisma.petlensPrisma;
}

/** Closes the pool (tests and scripts). */
export async function disconnectDb(): Promise<void> {
  const client = globalForPrisma.petlensPrisma;
  globalForPrisma.petlensPrisma = undefined;
  await client?.$disconnect();
}
