'use server';

import { logServerError } from '~/lib/errors';
import type { SignUpState } from '~/lib/prediction-state';
import { hashPassword } from '~/lib/server/password';
import { actionAddress, hitRateLimit } from '~/lib/server/rate-limits';
import { createUser, EmailTakenError } from '~/lib/server/queries/users';
import { firstFieldErrors, signUpSchema } from '~/lib/validations/auth';

/**
 * Creates an account (role `user`; admins are made from the command line).
 * The client signs in with next-auth afterwards.
 */
export async function signUpAction(_previous: SignUpState, formData: FormData): Promise<SignUpState> {
  const parsed = signUpSchema.safeParse({ email: formData.get('email'), password: formData.get('password') });
  if (!parsed.success) {
    return { status: 'invalid_data', fieldErrors: firstFieldErrors(parsed.error, ['email', 'password'] as const) };
  }
  const limit = hitRateLimit('signUp', `ip:${await actionAddress()}`);
  if (!limit.allowed) {
    return { status: 'failed', message: `Too many new accounts from your network. Please try again in ${limit.retryAfterSeconds} seconds.` };
  }
  try {
    const user = await createUser({ email: parsed.data.email, passwordHash: await hashPassword(parsed.data.password) });
    return { status: 'success', email: user.email };
  } catch (error) {
    if (error instanceof EmailTakenError) return { status: 'conflict', message: 'An account with this email already exists. Sign in instead?' };
    logServerError('sign-up', error);
    return { status: 'failed', message: 'Your account could not be created. Please try again.' };
  }
}
