import 'server-only';

import { API_TOKEN } from '~/lib/config';
import { getDb } from '~/lib/server/db';
import { generateApiToken, hashApiToken, looksLikeApiToken } from '~/lib/api-tokens';

export class TooManyTokensError extends Error {
  override name = 'TooManyTokensError';
}

export interface ApiTokenListItem {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/**
 * Creates a token for `userId`. Returns the token itself, which is never
 * stored and cannot be shown again.
 */
export async function createApiToken({ userId, name }: { userId: string; name: string }): Promise<{ token: string; item: ApiTokenListItem }> {
  const { token, prefix, tokenHash } = generateApiToken();
  const item = await getDb().$transaction(async (tx) => {
    // Creations for one user take turns (the user's row is locked until commit),
    // so that two at once cannot both see room for one more token.
    await tx.$queryRaw`SELECT 1 FROM "User" WHERE id = ${userId}::uuid FOR UPDATE`;
    const active = await tx.apiToken.count({ where: { userId, revokedAt: null } });
    if (active >= API_TOKEN.maxActivePerUser) throw new TooManyTokensError(`at most ${API_TOKEN.maxActivePerUser} active tokens`);
    return tx.apiToken.create({
      data: { userId, name, prefix, tokenHash },
      select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    });
  });
  return { token, item };
}

/** The user's tokens, newest first (never the hash). */
export function getApiTokensByUserId({ userId }: { userId: string }): Promise<ApiTokenListItem[]> {
  return getDb().apiToken.findMany({
    where: { userId },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
}

/**
 * Revokes one of the user's tokens, and deletes the user's revoked tokens
 * beyond the newest API_TOKEN.maxRevokedKeptPerUser. False if the user has no
 * such active token.
 */
export async function revokeApiTokenForUser({ id, userId }: { id: string; userId: string }): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({ where: { id, userId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count !== 1) return false;
    const beyondKept = await tx.apiToken.findMany({
      where: { userId, revokedAt: { not: null } },
      orderBy: [{ revokedAt: 'desc' }, { id: 'desc' }],
      skip: API_TOKEN.maxRevokedKeptPerUser,
      select: { id: true },
    });
    if (beyondKept.length > 0) await tx.apiToken.deleteMany({ where: { userId, id: { in: beyondKept.map((t) => t.id) } } });
    return true;
  });
}

/** How often lastUsedAt is written at most, per token (one write per call would double the API's database load). */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The owner of an active token, or null (unknown, malformed or revoked).
 * Records the use, at most once a minute.
 */
export async function getUserByApiToken(token: string): Promise<{ userId: string; tokenId: string } | null> {
  if (!looksLikeApiToken(token)) return null;
  const db = getDb();
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashApiToken(token) },
    select: { id: true, userId: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt) return null;
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.updateMany({ where: { id: row.id, revokedAt: null }, data: { lastUsedAt: now } });
  }
  return { userId: row.userId, tokenId: row.id };
}
