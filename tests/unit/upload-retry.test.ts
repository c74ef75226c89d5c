import { canRetry, type UploadStatus } from '~/components/upload/result-card';
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

describe('newUploadKey: one per photo card, what the upload action accepts', () => {
  it('is 128 random bits in base64url, and never repeats', () => {
    const keys = Array.from({ length: 1000 }, () => newUploadKey());
    for (const key of keys) expect(uploadKeySchema.safeParse(key).success).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
