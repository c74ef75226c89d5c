'use server';

import { revalidatePath } from 'next/cache';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import type { CreateTokenState, DeleteAccountState, RevokeTokenState } from '~/lib/account-state';
import { logServerError } from '~/lib/errors';
import { authOptions, getCurrentUser } from '~/lib/server/auth';
import { createApiToken, revokeApiTokenForUser, TooManyTokensError } from '~/lib/server/queries/api-tokens';
import { deleteUserAccount } from '~/lib/server/queries/users';
import { deleteAccountSchema } from '~/lib/validations/account';
import { apiTokenIdSchema, createApiTokenSchema } from '~/lib/validations/api-token';

/** Creates a personal API token (form field `name`) for the signed-in user and returns it once. */
export async function createApiTokenAction(_previous: CreateTokenState, formData: FormData): Promise<CreateTokenState> {
  const parsed = createApiTokenSchema.safeParse({ name: formData.get('name') });
  if (!parsed.success) return { status: 'invalid_data', message: parsed.error.issues[0]?.message ?? 'Give the token a name' };
  const user = await getCurrentUser();
  if (!user) return { status: 'unauthorized', message: 'Sign in to create API tokens.' };
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
  const user = await getCurrentUser();
  if (!user) return { status: 'unauthorized', message: 'Sign in to manage API tokens.' };
  try {
    const revoked = await revokeApiTokenForUser({ id: parsed.data, userId: user.id });
    if (!revoked) return { status: 'not_found', message: 'That token does not exist or is already revoked.' };
  } catch (error) {
    logServerError('revoking an API token', error);
    return { status: 'failed', message: 'The token could not be revoked. Please try again.' };
  }
  revalidatePath('/account');
  return { status: 'success' };
}

/**
 * Deletes the signed-in user's account with all their predictions,
 * thumbnails and API tokens, once they have typed their email address
 * (form field `confirmEmail`), ends the session by expiring next-auth's
 * cookies in this response, and sends the browser home. Nobody else's data
 * is touched.
 */
export async function deleteAccountAction(_previous: DeleteAccountState, formData: FormData): Promise<DeleteAccountState> {
  const user = await getCurrentUser();
  if (!user) return { status: 'unauthorized', message: 'Sign in to delete your account.' };
  const parsed = deleteAccountSchema.safeParse({ confirmEmail: formData.get('confirmEmail') });
  if (!parsed.success || parsed.data.confirmEmail !== user.email) {
    return { status: 'invalid_data', message: 'Type your email address exactly as shown to confirm.' };
  }
  try {
    // null: already gone (deleted from another tab); the session ends all the same.
    await deleteUserAccount({ id: user.id });
  } catch (error) {
    logServerError('deleting an account', error);
    return { status: 'failed', message: 'Your account could not be deleted. Nothing was removed; please try again.' };
  }
  const jar = await cookies();
  for (const cookie of Object.values(authOptions.cookies ?? {})) jar.set(cookie.name, '', { ...cookie.options, maxAge: 0 });
  redirect('/?account=deleted');
}
