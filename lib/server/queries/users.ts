import 'server-only';

import type { Role } from '~/lib/generated/prisma/enums';
import type { Prisma } from '~/lib/generated/prisma/client';
import { getDb, isUniqueViolation } from '~/lib/server/db';

export interface UserRecord {
  id: string;
  email: string;
  role: Role;
}

export class EmailTakenError extends Error {
  override name = 'EmailTakenError';
}

/** Creates a user; throws EmailTakenError if the (lower-cased) email exists. */
export async function createUser({ email, passwordHash, role = 'user' }: { email: string; passwordHash: string; role?: Role }): Promise<UserRecord> {
  try {
    return await getDb().user.create({ data: { email, passwordHash, role }, select: { id: true, email: true, role: true } });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EmailTakenError(email);
    throw error;
  }
}

const credentialsSelect = { id: true, email: true, role: true, passwordHash: true, sessionVersion: true } as const;

/** For sign-in: one of the two queries that return a password hash. */
export function getUserCredentialsByEmail({ email }: { email: string }) {
  return getDb().user.findUnique({ where: { email }, select: credentialsSelect });
}

/** For a signed-in user confirming their current password (changing it): the other one. */
export function getUserCredentialsById({ id }: { id: string }) {
  return getDb().user.findUnique({ where: { id }, select: credentialsSelect });
}

/**
 * The account behind a session token, with the session version the token must
 * carry (lib/server/auth.ts); null when the account is gone or the token's
 * sign-in (`sid`) was signed out (EndedSession). One statement, on one pooled
 * connection: it runs for every request that reads a session.
 */
export async function getSessionAccountById({ id, sid }: { id: string; sid: string }): Promise<(UserRecord & { sessionVersion: number }) | null> {
  const rows = await getDb().$queryRaw<(UserRecord & { sessionVersion: number })[]>`
    SELECT u."id", u."email", u."role"::text AS "role", u."sessionVersion"
    FROM "User" u
    WHERE u."id" = ${id}::uuid AND NOT EXISTS (SELECT 1 FROM "EndedSession" e WHERE e."sid" = ${sid}::uuid)`;
  return rows[0] ?? null;
}

/**
 * Raises the user's session version from `fromVersion`, the one the caller's
 * session carries, which ends every session issued before (with
 * `passwordHash`, also sets a new password, in the same statement). Returns
 * the new version, or null when the user is gone or the version is no longer
 * `fromVersion`: a change made meanwhile in another session ended this one,
 * and an ended session must not get a token for the new version.
 */
export async function endUserSessions({ id, fromVersion, passwordHash }: { id: string; fromVersion: number; passwordHash?: string }): Promise<number | null> {
  const updated = await getDb().user.updateManyAndReturn({
    where: { id, sessionVersion: fromVersion },
    data: { sessionVersion: { increment: 1 }, ...(passwordHash ? { passwordHash } : {}) },
    select: { sessionVersion: true },
  });
  return updated[0]?.sessionVersion ?? null;
}

export interface DeletedAccount {
  predictions: number;
  apiTokens: number;
}

/**
 * Inside a transaction: the user's predictions (the thumbnails live in those
 * rows) and API tokens, then the user. (The foreign keys cascade too; the
 * explicit deletes make the counts and the intent plain.) Null when there
 * was no such user.
 */
async function deleteUserRows(tx: Prisma.TransactionClient, id: string): Promise<DeletedAccount | null> {
  const predictions = await tx.prediction.deleteMany({ where: { userId: id } });
  const apiTokens = await tx.apiToken.deleteMany({ where: { userId: id } });
  const users = await tx.user.deleteMany({ where: { id } });
  if (users.count === 0) return null;
  return { predictions: predictions.count, apiTokens: apiTokens.count };
}

/**
 * Locks every admin's row until the transaction ends and returns their ids,
 * so that two deletions running at the same moment (two admins deleting each
 * other, or each their own account) see each other and cannot leave none.
 */
async function lockAdminIds(tx: Prisma.TransactionClient): Promise<string[]> {
  const admins = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "User" WHERE "role" = 'admin' FOR UPDATE`;
  return admins.map((admin) => admin.id);
}

function isLastAdmin(adminIds: readonly string[], id: string): boolean {
  return adminIds.includes(id) && adminIds.every((adminId) => adminId === id);
}

export type OwnAccountDeletion = ({ status: 'deleted' } & DeletedAccount) | { status: 'not_found' } | { status: 'last_admin' };

/**
 * A user deletes their own account with everything of theirs, in one
 * transaction; refused for the last admin, who would leave the site with
 * nobody able to open the admin area (make another admin first).
 */
export function deleteUserAccount({ id }: { id: string }): Promise<OwnAccountDeletion> {
  return getDb().$transaction(async (tx): Promise<OwnAccountDeletion> => {
    if (isLastAdmin(await lockAdminIds(tx), id)) return { status: 'last_admin' };
    const deleted = await deleteUserRows(tx, id);
    return deleted ? { status: 'deleted', ...deleted } : { status: 'not_found' };
  });
}

export type AdminUserDeletion =
  | ({ status: 'deleted'; email: string } & DeletedAccount)
  | { status: 'not_found' }
  /** Admins delete their own account on /account, where the session is ended too. */
  | { status: 'self' }
  | { status: 'last_admin' };

/**
 * An admin deletes the account with this (lower-cased) email and everything
 * of theirs, in `tx`. Refuses the acting admin's own account and the last
 * admin. The admin rows are locked first, so two admins deleting each other
 * at the same moment cannot leave none.
 */
export async function deleteUserByEmailInTransaction(tx: Prisma.TransactionClient, { email, actingAdminId }: { email: string; actingAdminId: string }): Promise<AdminUserDeletion> {
  const adminIds = await lockAdminIds(tx);
  const target = await tx.user.findUnique({ where: { email }, select: { id: true, email: true } });
  if (!target) return { status: 'not_found' };
  if (target.id === actingAdminId) return { status: 'self' };
  if (isLastAdmin(adminIds, target.id)) return { status: 'last_admin' };
  const deleted = await deleteUserRows(tx, target.id);
  return deleted ? { status: 'deleted', email: target.email, ...deleted } : { status: 'not_found' };
}

export function deleteUserByEmailAsAdmin(input: { email: string; actingAdminId: string }): Promise<AdminUserDeletion> {
  return getDb().$transaction((tx) => deleteUserByEmailInTransaction(tx, input));
}
