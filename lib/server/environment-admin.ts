import 'server-only';
import { env } from '~/lib/env';

export const PASSWORD_SET_BY_ENVIRONMENT =
  'This account’s password is set by the server’s ADMIN_PASSWORD setting, and every start of the server sets it again: change it there.';

/**
 * Whether `npm start` sets this account's password from ADMIN_PASSWORD (see
 * lib/db/admins.ts): a password changed on /account would be set back at
 * the next start, after the page had said it was changed. `email` as stored
 * (trimmed, lower case).
 */
export function passwordSetByEnvironment(email: string): boolean {
  return Boolean(env.ADMIN_EMAIL && env.ADMIN_PASSWORD) && env.ADMIN_EMAIL!.trim().toLowerCase() === email;
}
