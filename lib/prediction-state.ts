/**
 * @file The plain, serializable shapes that server actions return to the
 * upload and history components. Picked field by field; never a Prisma row.
 */
import type { Label } from '~/lib/config';

export type Probabilities = Record<Label, number>;

export interface PredictionView {
  /** Null for guests: nothing of theirs they could reach is stored (a kept guest row has no owner and its id is not sent). */
  id: string | null;
  label: Label;
  confidence: number;
  probabilities: Probabilities;
  timings: { decodeMs: number; inferenceMs: number; serverMs: number };
  model: { name: string; version: string; executionProvider: string };
  image: { format: string; width: number; height: number };
  /** The owner's own feedback (ownerLabel), given meanwhile to a photo sent again; an admin's label is not theirs. */
  correctLabel: Label | null;
}

export type ClassifyState =
  | {
      status: 'success';
      prediction: PredictionView;
      saved: boolean;
      saveError: string | null;
      /** Not saved for a passing reason (the database or the session check failed): sending the photo again may save it. */
      saveRetryable: boolean;
      /** The page was shown signed in and that session has ended since (signed out elsewhere, expired): the page is stale. */
      signedOut: boolean;
    }
  | { status: 'invalid_data'; message: string }
  | { status: 'failed'; message: string };

export type FeedbackState =
  | { status: 'success'; correctLabel: Label }
  | { status: 'invalid_data' | 'unauthorized' | 'not_found' | 'failed'; message: string };

export type DeleteState =
  | { status: 'idle' }
  | { status: 'invalid_data' | 'unauthorized' | 'not_found' | 'failed'; message: string };

export type SignUpState =
  | { status: 'idle' }
  | { status: 'success'; email: string }
  | { status: 'invalid_data'; fieldErrors: Partial<Record<'email' | 'password', string>> }
  | { status: 'conflict' | 'failed'; message: string };
