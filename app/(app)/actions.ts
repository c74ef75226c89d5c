'use server';

import { createHash } from 'node:crypto';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { env } from '~/lib/env';
import type { Label } from '~/lib/config';
import { logServerError } from '~/lib/errors';
import type { ClassifyState, DeleteState, FeedbackState } from '~/lib/prediction-state';
import { checkUserForUpload, gateUser } from '~/lib/server/auth';
import { isClassifierRestarting, isImageInputError, isQueueFullError } from '~/lib/serving/error-guards';
import { getInferenceService } from '~/lib/server/inference';
import { actionAddress, hitRateLimit } from '~/lib/server/rate-limits';
import { createPrediction, deletePredictionForUser, setPredictionFeedback } from '~/lib/server/queries/predictions';
import { makeThumbnail } from '~/lib/server/thumbnail';
import { feedbackSchema, parseHistoryQuery, predictionIdSchema, uploadSchema } from '~/lib/validations/prediction';
import { historyPageSearch } from '~/components/history/history-search';

/** The pool's queue is full, before or after admission: one message for both. */
const BUSY_MESSAGE = 'PetLens is very busy right now. Please try again in a moment.';
const NOT_SAVED_MESSAGE = 'The result could not be saved to your history. Please try again later.';
const THUMBNAIL_FAILED_MESSAGE = 'The result could not be saved to your history: PetLens could not make a thumbnail of this photo.';
const SIGNED_OUT_MESSAGE = 'You have been signed out, so this result was not saved to your history. Sign in again to keep the results of the photos you add after that.';
const ACCOUNT_CHANGED_MESSAGE = 'Someone else has signed in since this photo was added, so its result was not saved to their history.';
/** The page was a guest's, and this browser has signed in to an account since (in another tab): the account may well be the uploader's, but the photo was added as a guest's. */
const SIGNED_IN_MEANWHILE_MESSAGE = 'This browser signed in to an account after this photo was added, so its result was not saved to that history. Photos added from now on are.';

/**
 * Classifies one uploaded image (form field `file`; `expectedUser`: the id of
 * the account the page was shown to, '' for a guest). A signed-in user's
 * prediction is stored with a metadata-free thumbnail. A guest gets the
 * answer; with GUEST_RETENTION_DAYS > 0 the same row is also stored without
 * an owner, for admin review, until the retention purge deletes it. Expected
 * failures come back as a state, never as a throw.
 */
export async function classifyImageAction(formData: FormData): Promise<ClassifyState> {
  const started = performance.now();
  const parsed = uploadSchema(env.MAX_UPLOAD_BYTES).safeParse({ file: formData.get('file'), uploadKey: formData.get('uploadKey') });
  if (!parsed.success) {
    return { status: 'invalid_data', message: parsed.error.issues[0]?.message ?? 'Choose an image to upload' };
  }
  const session = await checkUserForUpload();
  const signedInUser = session.status === 'ok' ? session.user : null;
  // Who the page was shown to: an account's id, '' for a guest, absent from callers that do not say.
  const expectedField = formData.get('expectedUser');
  const expectedUser = typeof expectedField === 'string' ? expectedField : null;
  const expectSignedIn = expectedUser !== null && expectedUser !== '';
  // The photo was added for someone other than who is signed in now (another account, or a guest, signed in in
  // another tab while it waited in the queue): answered, and saved to no history.
  const accountChanged = signedInUser !== null && expectedUser !== null && signedInUser.id !== expectedUser;
  const user = accountChanged ? null : signedInUser;
  // A session that could not be confirmed (the database unreachable or busy)
  // is answered and not saved: saving would trust the token's word alone.
  // One that could not be read at all is answered and kept for no one; only
  // a page shown to a signed-in user is told that nothing was saved.
  const unconfirmed = session.status === 'unavailable' || (session.status === 'unreadable' && expectSignedIn);
  // The page said "saved to your history", but the session has ended since
  // (signed out elsewhere, password changed, expired): answer, but keep
  // nothing as a guest's, and say it was not saved.
  const signedOutMeanwhile = (session.status === 'unauthorized' && expectSignedIn) || accountChanged;
  const keepForGuest = session.status === 'unauthorized' && !signedOutMeanwhile && env.GUEST_RETENTION_DAYS > 0;
  const limit = hitRateLimit('upload', signedInUser ? `user:${signedInUser.id}` : `ip:${await actionAddress()}`);
  if (!limit.allowed) {
    return { status: 'failed', message: `You are uploading faster than PetLens allows (${limit.limit} photos a minute). Please try again in ${limit.retryAfterSeconds} seconds.` };
  }
  const bytes = new Uint8Array(await parsed.data.file.arrayBuffer());

  let classifier;
  try {
    classifier = await getInferenceService();
  } catch (error) {
    logServerError('loading the classifier', error);
    return { status: 'failed', message: 'The classifier is not available right now. Please try again in a moment.' };
  }
  // The same bounded worker pool and batcher as the REST API.
  const ticket = classifier.tryAdmit(1);
  if (!ticket) return { status: 'failed', message: BUSY_MESSAGE };

  // The thumbnail is made alongside classification (both decode the upload
  // with shrink-on-load) but only kept if classification accepted the file.
  const [classified, thumbnail] = await Promise.allSettled([
    classifier.classify(bytes),
    user || keepForGuest ? makeThumbnail(bytes, env.MAX_IMAGE_PIXELS) : Promise.resolve(null),
  ]).finally(() => ticket.release());
  if (classified.status === 'rejected') {
    if (isImageInputError(classified.reason)) return { status: 'invalid_data', message: classified.reason.message };
    if (isQueueFullError(classified.reason)) return { status: 'failed', message: BUSY_MESSAGE };
    if (isClassifierRestarting(classified.reason)) return { status: 'failed', message: 'The classifier is restarting after a failure. Please try again in a few seconds.' };
    logServerError('classifying an upload', classified.reason);
    return { status: 'failed', message: 'Something went wrong while classifying this image. Please try again.' };
  }
  const result = classified.value;

  let id: string | null = null;
  let correctLabel: Label | null = null;
  let saveError: string | null = accountChanged ? (expectSignedIn ? ACCOUNT_CHANGED_MESSAGE : SIGNED_IN_MEANWHILE_MESSAGE) : signedOutMeanwhile ? SIGNED_OUT_MESSAGE : unconfirmed ? NOT_SAVED_MESSAGE : null;
  // Sending the photo again can save it only when what failed will pass (the database, the session check).
  let saveRetryable = unconfirmed;
  const thumb = thumbnail.status === 'fulfilled' ? thumbnail.value : null;
  if ((user || keepForGuest) && !thumb) {
    // Classified but no thumbnail made: the same photo would fail the same way, so no "Try again".
    logServerError('making a thumbnail', thumbnail.status === 'rejected' ? thumbnail.reason : new Error('thumbnail missing'));
    if (user) saveError = THUMBNAIL_FAILED_MESSAGE;
  } else if (thumb) {
    try {
      const row = await createPrediction({
        userId: user?.id ?? null,
        label: result.label,
        confidence: result.confidence,
        probabilities: result.probabilities,
        modelName: classifier.card.name,
        modelVersion: classifier.card.version,
        executionProvider: classifier.executionProvider,
        latencyMs: result.timings.decodeMs + result.timings.inferenceMs,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        thumbnail: thumb,
        uploadKey: parsed.data.uploadKey,
      });
      // A guest has no identity to see, correct or delete the row by: the id stays on the server.
      if (user) {
        id = row.id;
        correctLabel = row.ownerLabel;
        revalidatePath('/history');
      }
    } catch (error) {
      // A guest was promised no history, so a failed save is only logged.
      logServerError(user ? 'saving a prediction' : 'keeping a guest prediction', error);
      if (user) {
        saveError = NOT_SAVED_MESSAGE;
        saveRetryable = true;
      }
    }
  }

  return {
    status: 'success',
    saved: id !== null,
    saveError,
    saveRetryable,
    signedOut: signedOutMeanwhile,
    prediction: {
      id,
      label: result.label,
      confidence: result.confidence,
      probabilities: result.probabilities,
      timings: { ...result.timings, serverMs: performance.now() - started },
      model: { name: classifier.card.name, version: classifier.card.version, executionProvider: classifier.executionProvider },
      image: { format: result.image.format, width: result.image.width, height: result.image.height },
      correctLabel,
    },
  };
}

/** Confirms or corrects the label of one of the user's own predictions. */
export async function submitFeedbackAction(input: { predictionId: string; correctLabel: string }): Promise<FeedbackState> {
  const parsed = feedbackSchema.safeParse(input);
  if (!parsed.success) {
    const aboutLabel = parsed.error.issues.every((issue) => issue.path[0] === 'correctLabel');
    return { status: 'invalid_data', message: aboutLabel ? 'That is not a valid label.' : 'Unknown prediction.' };
  }
  const gate = await gateUser('Sign in to give feedback.');
  if (gate.status !== 'ok') return gate;
  const { user } = gate;
  try {
    const updated = await setPredictionFeedback({ id: parsed.data.predictionId, userId: user.id, correctLabel: parsed.data.correctLabel });
    if (!updated) return { status: 'not_found', message: 'That prediction does not exist.' };
  } catch (error) {
    logServerError('saving feedback', error);
    return { status: 'failed', message: 'Your feedback could not be saved. Please try again.' };
  }
  revalidatePath('/history');
  revalidatePath(`/history/${parsed.data.predictionId}`);
  return { status: 'success', correctLabel: parsed.data.correctLabel };
}

/**
 * Deletes one of the user's predictions with its thumbnail (form field `id`),
 * then goes back to the history list page it was opened from (field `list`).
 */
export async function deletePredictionAction(_previous: DeleteState, formData: FormData): Promise<DeleteState> {
  const parsed = predictionIdSchema.safeParse(formData.get('id'));
  if (!parsed.success) return { status: 'invalid_data', message: 'Unknown prediction.' };
  const gate = await gateUser('Sign in to manage your history.');
  if (gate.status !== 'ok') return gate;
  const { user } = gate;
  try {
    const deleted = await deletePredictionForUser({ id: parsed.data, userId: user.id });
    // Deleted meanwhile (another tab, another device). No revalidatePath here: it would re-render the page the
    // user is on, now a 404, in place of this message; the history they go back to is rendered afresh anyway.
    if (!deleted) return { status: 'not_found', message: 'That prediction is no longer in your history: it may have been deleted in another tab or window.' };
  } catch (error) {
    logServerError('deleting a prediction', error);
    return { status: 'failed', message: 'The prediction could not be deleted. Please try again.' };
  }
  revalidatePath('/history');
  redirect(afterDeleteHref(formData.get('list')));
}

/**
 * The history list page a prediction was opened from (the delete form's `list`: that page's query string), with the
 * news of the delete. Only the list's own parameters are read from it, each checked, so the field cannot send the
 * user elsewhere; a page past the end after the delete shows the last page.
 */
function afterDeleteHref(list: FormDataEntryValue | null): string {
  const query = parseHistoryQuery(Object.fromEntries(new URLSearchParams(typeof list === 'string' ? list : '')));
  const params = historyPageSearch(query, query.page);
  params.set('deleted', '1');
  return `/history?${params}`;
}
