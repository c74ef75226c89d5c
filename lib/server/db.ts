import 'server-only';

import { Prisma } from '~/lib/generated/prisma/client';

export { disconnectDb, getDb } from '~/lib/db/app-client';

/** A unique constraint refused the row (Prisma's P2002): the email, the upload key … is taken. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
