/**
 * @file Builds a Prisma client for a connection string. Plain Node (no Next,
 * no 'server-only'): the app's singleton in lib/server/db.ts and the CLIs
 * (admin:create, evaluate --record, the admin benchmark seed) all use it.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '~/lib/generated/prisma/client';

export function createPrismaClient(connectionString: string, options: { log?: ('warn' | 'error')[]; max?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString,
    // pg has no connect timeout by default: a dead database must fail a request, not hang it.
    connectionTimeoutMillis: 5_000,
    max: options.max ?? 10,
  });
  return new PrismaClient({ adapter, log: options.log ?? [] });
}
