'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { CHANGE_PASSWORD_FIELDS, type ChangePasswordState, type CreateTokenState, type DeleteAccountState, type EndOtherSessionsState, type RevokeTokenState } from '~/lib/account-state';
import { logServerError } from '~/lib/errors';
import { endThisSession, gateSession, gateUser, keepThisSession } from '~/lib/server/auth';
import { PASSWORD_SET_BY_ENVIRONMENT, passwordSetByEnvironment } from '~/lib/server/environment-admin';
import { hashPassword, verifyPassword } from '~/lib/server/password';
import { forgetSignInAddresses, hitRateLimit } from '~/lib/server/rate-limits';
import { createApiToken, revokeApiTokenForUser, TooManyTokensError } from '~/lib/server/queries/api-tokens';
import { deleteUserAccount, endUserSessions, getUserCredentialsById } from '~/lib/server/queries/users';
import { changePasswordSchema, deleteAccountSchema } from '~/lib/validations/account';
import { firstFieldErrors } from '~/lib/validations/auth';
import { apiTokenIdSchema, createApiTokenSchema } from '~/lib/validations/api-token';

/** Creates a personal API token (form field `name`) for the signed-in user and returns it once. */
export async function createApiTokenAction(_previous: CreateTokenState, formData: FormData): Promise<CreateTokenState> {
  const parsed = createApiTokenSchema.safeParse({ name: formData.get('name') });
  if (!parsed.success) return { status: 'invalid_data', field: 'name', message: parsed.error.issues[0]?.message ?? 'Give the token a name' };
  const gate = await gateUser('Sign in to create API tokens.');
  if (gate.status !== 'ok') return gate;
  const { user } = gate;
  try {
    const { token, item } = await createApiToken({ userId: user.id, name: parsed.data.name });
    revalidatePath('/account');
    return { status: 'success', token, name: item.name, prefix: item.prefix };
  } catch (error) {
    if (error instanceof TooManyTokensError) return { status: 'invalid_data', message: 'You have too many active tokens; revoke one first.' };
    logServerError('creating an API token', error);
    return { status: 'failed', message: 'The token could not be created. Please try again.' };
  }
}

/** Revokes one of the signed-in user's tokens (form field `id`); it stops working at once. */
export async function revokeApiTokenAction(_previous: RevokeTokenState, formData: FormData): Promise<RevokeTokenState> {
  const parsed = apiTokenIdSchema.safeParse(formData.get('id'));
  if (!parsed.success) return { status: 'invalid_data', message: 'Unknown token.' };
  const gate = await gateUser('Sign in to manage API tokens.');
  if (gate.status !== 'ok') return gate;
  const { user } = gate;
  let revoked: boolean;
  try {
    revoked = await revokeApiTokenForUser({ id: parsed.data, userId: user.id });
  } catch (error) {
    logServerError('revoking an API token', error);
    return { status: 'failed', message: 'The token could not be revoked. Please try again.' };
  }
  // Also when it was not found: revoked meanwhile in another tab, its row then no longer offers Revoke.
  revalidatePath('/account');
  return revoked ? { status: 'success' } : { status: 'not_found', message: 'That token does not exist or is already revoked.' };
}

/**
 * Deletes the signed-in user's account with all their predictions,
 * thumbnails and API tokens, once they have entered their password (form
 * field `currentPassword`), ends the session by expiring next-auth's
 * cookies in this response, and sends the browser home. Nobody else's data
 * is touched. Password checks have a per-user limit (passwordAttemptRefused),
 * as a password change's do.
 */
export async function deleteAccountAction(_previous: DeleteAccountState, formData: FormData): Promise<DeleteAccountState> {
  const gate = await gateUser('Sign in to delete your account.');
  if (gate.status !== 'ok') return gate;
  const { user } = gate;
  const typed = formData.get('currentPassword');
  const parsed = deleteAccountSchema.safeParse({ currentPassword: typed });
  if (!parsed.success) {
    // Something typed that no password can be (longer than any allowed) is simply not the password.
    const message = typeof typed === 'string' && typed !== '' ? WRONG_PASSWORD : 'Enter your password to confirm. Nothing was removed.';
    return { status: 'invalid_data', field: 'currentPassword', message };
  }
  const refused = passwordAttemptRefused(user.id);
  if (refused) return { status: 'rate_limited', message: refused };
  let outcome;
  try {
    if ((await checkCurrentPassword(user.id, parsed.data.currentPassword)) === 'wrong') {
      return { status: 'invalid_data', field: 'currentPassword', message: WRONG_PASSWORD };
    }
    // 'gone' (deleted meanwhile from another tab) goes on: deleteUserAccount answers not_found, and the session ends below.
    outcome = await deleteUserAccount({ id: user.id });
  } catch (error) {
    logServerError('deleting an account', error);
    return { status: 'failed', message: 'Your account could not be deleted. Nothing was removed; please try again.' };
  }
  if (outcome.status === 'last_admin') return { status: 'invalid_data', message: LAST_ADMIN_MESSAGE };
  // 'not_found': already gone (deleted from another tab); the session ends all the same.
  forgetSignInAddresses(user.email);
  await endThisSession();
  redirect('/?account=deleted');
}

const WRONG_PASSWORD = 'That is not your password. Nothing was removed.';

/**
 * Every check of the current password (a password change, deleting the account) counts against a per-user limit (the
 * sign-in limit's size), so these forms cannot guess a password faster than the sign-in form; it is the user's own, so
 * strangers' failed sign-ins cannot keep them from changing their password. The refusal's message, or null.
 */
function passwordAttemptRefused(userId: string): string | null {
  const limit = hitRateLimit('passwordCheck', `user:${userId}`);
  return limit.allowed ? null : `Too many attempts. Please try again in ${limit.retryAfterSeconds} seconds.`;
}

/** Whether `typed` is the account's password now; 'gone' when the account no longer exists. Throws on a database error. */
async function checkCurrentPassword(id: string, typed: string): Promise<'ok' | 'wrong' | 'gone'> {
  const stored = await getUserCredentialsById({ id });
  if (!stored) return 'gone';
  return (await verifyPassword(stored.passwordHash, typed)) ? 'ok' : 'wrong';
}

const LAST_ADMIN_MESSAGE =
  'You are the only admin: without you nobody could open the admin area. Make another admin first (npm run admin:create), then delete this account. Nothing was removed.';

/**
 * The account is gone, or its session version moved on between the check at
 * the start of the action and the update (a change in another session ended
 * this one meanwhile): nothing was changed, and this session is over.
 */
const SESSION_ENDED_MEANWHILE = { status: 'unauthorized', message: 'This session has ended. Sign in again.' } as const;

/**
 * The end of both actions once the version update has run (`sessionVersion`:
 * the new version, or null when it did not apply). On success this browser
 * stays signed in with a re-issued token; if its token could not be
 * re-issued, it is signed out as well and sent to sign in again (the change
 * itself has been made).
 */
async function afterEndingSessions(email: string, sessionVersion: number | null, message: string) {
  if (sessionVersion === null) return SESSION_ENDED_MEANWHILE;
  // Whoever signed in with the old password or in an ended session may have done it from these addresses.
  forgetSignInAddresses(email);
  if (!(await keepThisSession(sessionVersion))) {
    await endThisSession();
    redirect('/login?callbackUrl=%2Faccount');
  }
  return { status: 'success' as const, message };
}

/**
 * Changes the signed-in user's password (form fields `currentPassword`,
 * `newPassword`) and ends every other session of theirs, on every device:
 * whoever knew the old password and signed in with it is signed out. API
 * tokens are separate credentials and stay as they are (revoked on the same
 * page). Password checks have a per-user limit the size of the sign-in
 * limit (passwordAttemptRefused), so the form cannot be used to guess the
 * current password faster than the sign-in form.
 */
export async function changePasswordAction(_previous: ChangePasswordState, formData: FormData): Promise<ChangePasswordState> {
  const session = await gateSession('Sign in to change your password.');
  if (session.status !== 'ok') return session;
  const { user } = session;
  if (passwordSetByEnvironment(user.email)) return { status: 'failed', message: PASSWORD_SET_BY_ENVIRONMENT };
  const parsed = changePasswordSchema(user.email).safeParse({ currentPassword: formData.get('currentPassword'), newPassword: formData.get('newPassword') });
  if (!parsed.success) {
    return { status: 'invalid_data', fieldErrors: firstFieldErrors(parsed.error, CHANGE_PASSWORD_FIELDS) };
  }
  const refused = passwordAttemptRefused(user.id);
  if (refused) return { status: 'rate_limited', message: refused };

  let sessionVersion: number | null;
  try {
    const check = await checkCurrentPassword(user.id, parsed.data.currentPassword);
    if (check === 'gone') return { status: 'unauthorized', message: 'Sign in to change your password.' };
    if (check === 'wrong') return { status: 'invalid_data', fieldErrors: { currentPassword: 'That is not your current password' } };
    sessionVersion = await endUserSessions({ id: user.id, fromVersion: session.sessionVersion, passwordHash: await hashPassword(parsed.data.newPassword) });
  } catch (error) {
    logServerError('changing a password', error);
    return { status: 'failed', message: 'Your password could not be changed. It is still the old one; please try again.' };
  }
  return afterEndingSessions(user.email, sessionVersion, 'Password changed. Every other session of yours has been signed out.');
}

/** Ends every session of the signed-in user except this one (e.g. after using a shared computer). */
export async function endOtherSessionsAction(_previous: EndOtherSessionsState, _formData: FormData): Promise<EndOtherSessionsState> {
  const session = await gateSession('Sign in to manage your sessions.');
  if (session.status !== 'ok') return session;
  let sessionVersion: number | null;
  try {
    sessionVersion = await endUserSessions({ id: session.user.id, fromVersion: session.sessionVersion });
  } catch (error) {
    logServerError('ending other sessions', error);
    return { status: 'failed', message: 'Your other sessions could not be signed out. Please try again.' };
  }
  return afterEndingSessions(session.user.email, sessionVersion, 'Every other session of yours has been signed out.');
}
