/**
 * @file Builds a Prisma client for a connection string. Plain Node (no Next,
 * no 'server-only'): the app's singleton in lib/server/db.ts and the CLIs
 * (admin:create, evaluate --record, the admin benchmark seed) all use it.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '~/lib/generated/prisma/client';

/**
 * The connection string with every session pinned to UTC (PostgreSQL's
 * `options` startup parameter, kept alongside any the string already has).
 * @prisma/adapter-pg writes a Date as UTC clock time without an offset and
 * reads a timestamptz as if its offset were +00:00, so in any other session
 * zone every stored instant would be shifted by it (tests/app/time-zone.test.ts).
 */
export function withUtcSessions(connectionString: string): string {
  const url = new URL(connectionString);
  const own = url.searchParams.get('options');
  url.searchParams.set('options', [own, '-c TimeZone=UTC'].filter(Boolean).join(' '));
  return url.toString();
}

export function createPrismaClient(connectionString: string, options: { log?: ('warn' | 'error')[]; max?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: withUtcSessions(connectionString),
    // pg has no connect timeout by default: a dead database must fail a request, not hang it.
    connectionTimeoutMillis: 5_000,
    max: options.max ?? 10,
  });
  return new PrismaClient({ adapter, log: options.log ?? [] });
}
