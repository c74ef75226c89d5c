'use server';

import type { AdminLabelState } from '~/lib/admin-state';
import { APP_ERRORS, logServerError } from '~/lib/errors';
import { checkAdmin } from '~/lib/server/auth';
import { setConfirmedLabelAsAdmin } from '~/lib/server/queries/admin';
import { adminLabelSchema } from '~/lib/validations/admin';

/**
 * An admin sets or fixes the confirmed label of any prediction (review
 * queue). Parse → authorize (admin role, on the server) → act → state.
 */
export async function setConfirmedLabelAction(input: { predictionId: string; correctLabel: string }): Promise<AdminLabelState> {
  const parsed = adminLabelSchema.safeParse(input);
  if (!parsed.success) return { status: 'invalid_data', message: 'That is not a valid prediction or label.' };
  const admin = await checkAdmin();
  if (admin.status !== 'ok') return { status: admin.status, message: APP_ERRORS[admin.status].message };
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
