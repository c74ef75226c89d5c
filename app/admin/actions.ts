'use server';

import { revalidatePath } from 'next/cache';
import type { z } from 'zod';
import { PURGE_FIELDS, type AdminLabelState, type AdminPurgeState, type PurgeField } from '~/lib/admin-state';
import { logServerError } from '~/lib/errors';
import { gateAdmin } from '~/lib/server/auth';
import { forgetSignInAddresses } from '~/lib/server/rate-limits';
import { purgeAllGuestPredictions, purgePredictionsCreatedBefore, setConfirmedLabelAsAdmin } from '~/lib/server/queries/admin';
import { deleteUserByEmailAsAdmin } from '~/lib/server/queries/users';
import { adminDeleteUserSchema, adminLabelSchema, purgeGuestPredictionsSchema, purgePredictionsBeforeSchema } from '~/lib/validations/admin';

/**
 * An admin sets or fixes the confirmed label of any prediction (review
 * queue). Parse → authorize (admin role, on the server) → act → state.
 */
export async function setConfirmedLabelAction(input: { predictionId: string; correctLabel: string }): Promise<AdminLabelState> {
  const parsed = adminLabelSchema.safeParse(input);
  if (!parsed.success) return { status: 'invalid_data', message: 'That is not a valid prediction or label.' };
  const admin = await gateAdmin();
  if (admin.status !== 'ok') return admin;
  try {
    const updated = await setConfirmedLabelAsAdmin({ id: parsed.data.predictionId, correctLabel: parsed.data.correctLabel });
    if (!updated) return { status: 'not_found', message: 'That prediction does not exist any more.' };
  } catch (error) {
    logServerError('admin label', error);
    return { status: 'failed', message: 'The label could not be saved. Please try again.' };
  }
  // No revalidatePath: the admin pages are dynamic (rendered per request for
  // the session), so nothing is cached server-side, and revalidating would
  // re-render the review page under the admin's cursor, dropping the item
  // just fixed (no longer misclassified) together with its confirmation.
  return { status: 'success', predictionId: parsed.data.predictionId, correctLabel: parsed.data.correctLabel };
}

type Refusal = Exclude<AdminPurgeState, { status: 'idle' | 'success' }>;

function refusal(status: Refusal['status'], message: string, field?: PurgeField): Refusal {
  return field ? { status, message, field } : { status, message };
}

/** The first problem with a purge form, as the form shows it: under the field it is about. */
function invalid(error: z.ZodError): Refusal {
  const issue = error.issues[0];
  const field = PURGE_FIELDS.find((name) => name === issue?.path[0]);
  return refusal('invalid_data', issue?.message ?? 'Check the form and try again.', field);
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * Check the admin role → parse → delete → a state with the count the
 * database reported. The role comes first, before the form is even read,
 * so a guest or user learns nothing from a purge action but "no".
 */
async function purgeAsAdmin<T>({
  parse,
  remove,
  describe,
  task,
}: {
  parse: () => z.ZodSafeParseResult<T>;
  remove: (input: T) => Promise<number>;
  describe: (removed: number, input: T) => string;
  task: string;
}): Promise<AdminPurgeState> {
  const admin = await gateAdmin();
  if (admin.status !== 'ok') return admin;
  const parsed = parse();
  if (!parsed.success) return invalid(parsed.error);
  try {
    const predictions = await remove(parsed.data);
    revalidatePath('/admin/data');
    return { status: 'success', message: describe(predictions, parsed.data), predictions, apiTokens: 0, users: 0 };
  } catch (error) {
    logServerError(task, error);
    return refusal('failed', 'The purge failed; nothing was removed. Please try again.');
  }
}

/** Deletes every kept guest upload (form field `confirm` = PURGE). */
export async function purgeGuestPredictionsAction(_previous: AdminPurgeState, formData: FormData): Promise<AdminPurgeState> {
  return purgeAsAdmin({
    parse: () => purgeGuestPredictionsSchema.safeParse({ confirm: formData.get('confirm') }),
    remove: () => purgeAllGuestPredictions(),
    describe: (removed) => `Removed ${plural(removed, 'guest prediction')}.`,
    task: 'admin purge of guest predictions',
  });
}

/** Deletes everyone's predictions created before a day (fields `before` = YYYY-MM-DD, UTC, and `confirm`). */
export async function purgePredictionsBeforeAction(_previous: AdminPurgeState, formData: FormData): Promise<AdminPurgeState> {
  return purgeAsAdmin({
    parse: () => purgePredictionsBeforeSchema.safeParse({ confirm: formData.get('confirm'), before: formData.get('before') }),
    remove: ({ before }) => purgePredictionsCreatedBefore(before),
    describe: (removed, { before }) => `Removed ${plural(removed, 'prediction')} created before ${before.toISOString().slice(0, 10)} (UTC).`,
    task: 'admin purge of predictions by date',
  });
}

/**
 * Deletes the account with this email and everything of theirs (fields
 * `email` and `confirm`). Never the acting admin's own account (that is
 * /account's job, which also ends the session) nor the last admin.
 */
export async function deleteUserAsAdminAction(_previous: AdminPurgeState, formData: FormData): Promise<AdminPurgeState> {
  // The role first, as in the purges.
  const admin = await gateAdmin();
  if (admin.status !== 'ok') return admin;
  const parsed = adminDeleteUserSchema.safeParse({ confirm: formData.get('confirm'), email: formData.get('email') });
  if (!parsed.success) return invalid(parsed.error);
  let outcome;
  try {
    outcome = await deleteUserByEmailAsAdmin({ email: parsed.data.email, actingAdminId: admin.user.id });
  } catch (error) {
    logServerError('admin deletion of an account', error);
    return refusal('failed', 'The account could not be deleted; nothing was removed. Please try again.');
  }
  switch (outcome.status) {
    case 'not_found':
      return refusal('not_found', 'There is no account with that email address.', 'email');
    case 'self':
      return refusal('invalid_data', 'That is your own account: delete it from your account page instead.', 'email');
    case 'last_admin':
      return refusal('invalid_data', 'That is the last admin account; make another admin first.', 'email');
    case 'deleted':
      forgetSignInAddresses(outcome.email);
      revalidatePath('/admin/data');
      return {
        status: 'success',
        message: `Deleted ${outcome.email} with ${plural(outcome.predictions, 'prediction')} and ${plural(outcome.apiTokens, 'API token')}.`,
        predictions: outcome.predictions,
        apiTokens: outcome.apiTokens,
        users: 1,
      };
  }
}
