/**
 * @file Making admins: `npm run admin:create` and ADMIN_EMAIL/ADMIN_PASSWORD
 * at `npm start`. Never reachable from the sign-up form. Plain Node: the
 * CLI and the launcher pass their own Prisma client.
 */
import type { PrismaClient } from '~/lib/generated/prisma/client';
import { hashPassword, verifyPassword } from '~/lib/password';
import { signUpSchema } from '~/lib/validations/auth';

export class AdminInputError extends Error {
  override name = 'AdminInputError';
}

export interface EnsureAdminResult {
  id: string;
  email: string;
  /** created: a new account; promoted: an existing user became admin; updated: already admin, password reset; unchanged: already admin with this password. */
  outcome: 'created' | 'promoted' | 'updated' | 'unchanged';
}

/**
 * Creates the account as an admin, or promotes the existing one; either way
 * its password becomes `password`. A promotion or a new password ends the
 * account's open sessions; the same password again (`npm start` with
 * ADMIN_EMAIL/ADMIN_PASSWORD, on every start) changes nothing, so a restart
 * does not sign the admin out. Email and password must pass the same
 * rules as sign-up (AdminInputError otherwise).
 *
 * `promoteExisting: false` refuses to promote an ordinary account (sign-up
 * does not verify addresses, so whoever registered the address first may be a
 * stranger, and their open sessions would become admin sessions). `npm start`
 * passes false; `npm run admin:create`, a deliberate act that prints what it
 * did, passes true.
 */
export async function ensureAdmin(db: PrismaClient, input: { email: string; password: string }, { promoteExisting }: { promoteExisting: boolean }): Promise<EnsureAdminResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) {
    throw new AdminInputError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; '));
  }
  const { email, password } = parsed.data;
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email }, select: { id: true, role: true, passwordHash: true } });
    if (!existing) {
      const user = await tx.user.create({ data: { email, passwordHash: await hashPassword(password), role: 'admin' }, select: { id: true, email: true } });
      return { ...user, outcome: 'created' as const };
    }
    if (existing.role !== 'admin' && !promoteExisting) {
      throw new AdminInputError(
        `${email} is an ordinary account (signed up through the form), not an admin; it is not promoted automatically. ` +
          'If it is yours, promote it deliberately with `npm run admin:create -- --email ' + email + ' --password …`.',
      );
    }
    // Checked before any hashing: a restart with the same password (every `npm start`) needs no new hash.
    if (existing.role === 'admin' && (await verifyPassword(existing.passwordHash, password))) return { id: existing.id, email, outcome: 'unchanged' as const };
    // A new password ends the account's open sessions, as a change on /account does.
    const user = await tx.user.update({
      where: { id: existing.id },
      data: { role: 'admin', passwordHash: await hashPassword(password), sessionVersion: { increment: 1 } },
      select: { id: true, email: true },
    });
    return { ...user, outcome: existing.role === 'admin' ? ('updated' as const) : ('promoted' as const) };
  });
}
