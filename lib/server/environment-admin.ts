import 'server-only';
import { env } from '~/lib/env';
import { emailSchema } from '~/lib/validations/auth';

export const PASSWORD_SET_BY_ENVIRONMENT =
  'This account’s password is set by the server’s ADMIN_PASSWORD setting, and every start of the server sets it again: change it there.';

/**
 * Whether `npm start` sets this account's password from ADMIN_PASSWORD (see
 * lib/db/admins.ts): a password changed on /account would be set back at
 * the next start, after the page had said it was changed. Decided by
 * ADMIN_EMAIL alone: the launcher refuses it without ADMIN_PASSWORD, and
 * keeps the password itself from the app server. `email` as stored.
 */
export function passwordSetByEnvironment(email: string): boolean {
  const parsed = emailSchema.safeParse(env.ADMIN_EMAIL);
  return parsed.success && parsed.data === email;
}
