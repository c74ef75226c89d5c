import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { canRetry, resend, ResultCard, settle, type UploadItem, type UploadStatus } from '~/components/upload/result-card';
import { newUploadKey } from '~/components/upload/upload-key';
import type { PredictionView } from '~/lib/prediction-state';
import { uploadKeySchema } from '~/lib/validations/prediction';

const prediction: PredictionView = {
  id: null,
  label: 'cat',
  confidence: 0.97,
  probabilities: { cat: 0.97, dog: 0.02, neither: 0.01 },
  timings: { decodeMs: 4, inferenceMs: 5, serverMs: 12 },
  model: { name: 'petlens-mobilenetv3-small', version: '1.5.0', executionProvider: 'cpu' },
  image: { format: 'jpeg', width: 500, height: 375 },
  correctLabel: null,
};

const answered = (saved: boolean, saveError: string | null, saveRetryable: boolean, signedOut = false): UploadStatus => ({
  kind: 'done',
  roundTripMs: 30,
  state: { status: 'success', prediction, saved, saveError, saveRetryable, signedOut },
});

/** The card of one photo, rendered as the server would. */
function renderCard(status: UploadStatus, signedIn: boolean): string {
  // addedFor is the uploader's (what to send the card again with); the card itself does not read it.
  const item: UploadItem = { key: 'k', name: 'cat.jpg', size: 1000, previewUrl: 'blob:x', file: null as unknown as File, addedFor: 'user-1', status };
  return renderToStaticMarkup(createElement(ResultCard, { item, signedIn, onRemove: () => undefined, onRetry: () => undefined }));
}

describe('canRetry: which cards offer "Try again"', () => {
  it('offers it where sending the same file again can succeed', () => {
    expect(canRetry({ kind: 'error', message: 'The connection was lost', retryable: true })).toBe(true);
    expect(canRetry({ kind: 'done', roundTripMs: 5, state: { status: 'failed', message: 'busy' } })).toBe(true);
    // Answered, but the history could not keep it (database out): a camera shot may exist nowhere else.
    expect(canRetry(answered(false, 'The result could not be saved to your history.', true))).toBe(true);
  });

  it('does not where it would fail the same way, or where there is nothing to redo', () => {
    expect(canRetry({ kind: 'error', message: 'The file is larger than 10 MB', retryable: false })).toBe(false);
    expect(canRetry({ kind: 'done', roundTripMs: 5, state: { status: 'invalid_data', message: 'not an image' } })).toBe(false);
    expect(canRetry(answered(true, null, false))).toBe(false);
    // A guest's answer is not kept by design; a signed-out user must sign in first.
    expect(canRetry(answered(false, null, false))).toBe(false);
    expect(canRetry(answered(false, 'You have been signed out, so this result was not saved.', false, true))).toBe(false);
    expect(canRetry({ kind: 'queued' })).toBe(false);
    expect(canRetry({ kind: 'uploading' })).toBe(false);
  });
});

describe('resend and settle: "Try again" on an answer the history could not keep', () => {
  const unsaved = answered(false, 'The result could not be saved to your history. Please try again later.', true);
  const lostConnection: UploadStatus = { kind: 'error', message: 'The upload did not go through. Check your connection and try again.', retryable: true };

  it('keeps the answer on the card while it is sent again; a card with no answer is plainly pending', () => {
    expect(resend(unsaved)).toEqual({ kind: 'queued', answer: unsaved });
    expect(resend(resend(unsaved), 'uploading')).toEqual({ kind: 'uploading', answer: unsaved });
    expect(resend(lostConnection)).toEqual({ kind: 'queued', answer: undefined });
    expect(canRetry(resend(unsaved))).toBe(false);
  });

  it('a retry that fails keeps the answer, with the new failure as its save message, and can be tried again', () => {
    const pending = resend(unsaved, 'uploading');
    const kept = settle(pending, lostConnection);
    expect(kept).toMatchObject({ kind: 'done', roundTripMs: 30, state: { status: 'success', prediction, saved: false, saveRetryable: true } });
    expect(kept.kind === 'done' && kept.state.status === 'success' && kept.state.saveError).toBe(
      'Still not saved to your history: The upload did not go through. Check your connection and try again.',
    );
    expect(canRetry(kept)).toBe(true);
    const busy = settle(pending, { kind: 'done', roundTripMs: 5, state: { status: 'failed', message: 'PetLens is very busy right now.' } });
    expect(busy).toMatchObject({ kind: 'done', state: { status: 'success', saveError: 'Still not saved to your history: PetLens is very busy right now.', saveRetryable: true } });
  });

  it('the card sent again shows its answer with a pending line, and no save message, links or "Try again" meanwhile', () => {
    const render = (status: UploadStatus) => renderCard(status, true);
    const before = render(unsaved);
    expect(before).toContain('data-testid="prediction-label"');
    expect(before).toContain('could not be saved to your history');
    expect(before).toContain('Try again');
    const during = render(resend(unsaved, 'uploading'));
    expect(during).toContain('data-testid="prediction-label"');
    expect(during).toContain('97.0%');
    expect(during).toContain('Saving to your history again…');
    expect(during).not.toContain('could not be saved to your history');
    expect(during).not.toContain('Try again');
    expect(render({ kind: 'uploading' })).toContain('Looking at your photo…');
  });

  it('a retry that answers replaces the card, saved or not; a first send is whatever came back', () => {
    const saved = answered(true, null, false);
    expect(settle(resend(unsaved, 'uploading'), saved)).toBe(saved);
    const stillUnsaved = answered(false, 'The result could not be saved to your history. Please try again later.', true);
    expect(settle(resend(unsaved, 'uploading'), stillUnsaved)).toBe(stillUnsaved);
    expect(settle({ kind: 'uploading' }, lostConnection)).toBe(lostConnection);
  });
});

describe('newUploadKey: one per photo card, what the upload action accepts', () => {
  it('is 128 random bits in base64url, and never repeats', () => {
    const keys = Array.from({ length: 1000 }, () => newUploadKey());
    for (const key of keys) expect(uploadKeySchema.safeParse(key).success).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('the link under an answer that was not kept', () => {
  it('asks someone whose session ended to sign in again, not to create an account', () => {
    const html = renderCard(answered(false, 'You have been signed out, so this result was not saved to your history.', false, true), false);
    expect(html).toContain('href="/login"');
    expect(html).toContain('Sign in again');
    expect(html).not.toContain('Create an account');
  });

  it('offers a guest an account', () => {
    const html = renderCard(answered(false, null, false), false);
    expect(html).toContain('href="/signup"');
    expect(html).not.toContain('Sign in again');
  });
});

describe('what a screen reader is told as a card changes', () => {
  /** Each live region of the markup with its content; nested regions show as content with tags in it. */
  const liveRegions = (html: string) => [...html.matchAll(/<(\w+)[^>]*aria-live="[^"]+"[^>]*>(.*?)<\/\1>/g)].map((match) => match[2]!);

  it('one leaf line per card, never the whole card, so no live region holds another (the feedback status)', () => {
    const saved: UploadStatus = { kind: 'done', roundTripMs: 30, state: { status: 'success', prediction: { ...prediction, id: 'p1' }, saved: true, saveError: null, saveRetryable: false, signedOut: false } };
    const html = renderCard(saved, true);
    expect(html).toContain('data-testid="feedback-status"');
    const regions = liveRegions(html);
    // The card's line and the feedback buttons' status, each without markup inside.
    expect(regions).toEqual(['cat.jpg: Cat, 97.0% confident.', expect.any(String)]);
    for (const content of regions) expect(content).not.toMatch(/</);
    expect(html.match(/aria-live=/g)).toHaveLength(2);
    // Not inside the card's aria-busy body, which some screen readers keep quiet while it is busy.
    expect(html).toMatch(/<li[^>]*><p class="sr-only" aria-live="polite"/);
  });

  it('says what is happening and the answer with its warnings; errors are alerts of their own', () => {
    const say = (status: UploadStatus) => liveRegions(renderCard(status, true))[0];
    expect(say({ kind: 'queued' })).toBe('');
    expect(say({ kind: 'uploading' })).toBe('cat.jpg: Looking at your photo…');
    const unsure: UploadStatus = { kind: 'done', roundTripMs: 30, state: { status: 'success', prediction: { ...prediction, confidence: 0.5 }, saved: false, saveError: 'The result could not be saved to your history.', saveRetryable: true, signedOut: false } };
    expect(say(unsure)).toBe('cat.jpg: Cat, 50.0% confident. The model is unsure about this one. The result could not be saved to your history.');
    expect(say(resend(unsure, 'uploading'))).toBe('cat.jpg: Saving to your history again…');
    // Its warnings are shown as notes, which are not live regions: said once, by the line.
    const shown = renderCard(unsure, true);
    expect(shown.match(/role="note"/g)).toHaveLength(2);
    expect(shown).not.toMatch(/role="status"/);
    const refused = renderCard({ kind: 'done', roundTripMs: 5, state: { status: 'invalid_data', message: 'The file is empty' } }, true);
    expect(liveRegions(refused)[0]).toBe('');
    expect(refused).toMatch(/role="alert"[^>]*>.*The file is empty/);
  });
});
