/**
 * @file The app's one Prisma client. Plain Node (no 'server-only'), because
 * instrumentation.ts uses it when the server boots (the guest-retention
 * purge); app code imports it through lib/server/db.ts. Kept on globalThis,
 * so every bundle of the Next server (and dev reloads) shares one pool.
 */
import { createPrismaClient as createClientFor } from '~/lib/db/client';
import { env } from '~/lib/env';
import type { PrismaClient } from '~/lib/generated/prisma/client';

function createPrismaClient(): PrismaClient {
  if (!env.DATABASE_URL) {
    throw new Error('DATABASE_URL is not set: start the app with `npm start` (it runs an embedded PostgreSQL) or set DATABASE_URL');
  }
  // Tests provoke constraint errors on purpose; callers log what matters.
  const log: ('warn' | 'error')[] = env.NODE_ENV === 'development' ? ['warn', 'error'] : env.NODE_ENV === 'test' ? [] : ['error'];
  return createClientFor(env.DATABASE_URL, { log });
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
