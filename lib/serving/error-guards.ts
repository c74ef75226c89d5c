/**
 * @file Recognises the serving errors by name and shape, not `instanceof`.
 * In the production build the inference service is created by
 * instrumentation.ts, whose bundle has its own copy of lib/ml/image.ts and
 * lib/serving/batcher.ts: the errors it throws are instances of *those*
 * classes, so `instanceof` against the route's or action's copy is false and
 * an unreadable upload was answered 503 (or "Something went wrong") instead
 * of its 4xx. Found by tests/e2e/hostile-sweep.test.ts.
 */
import type { ImageInputError } from '../ml/image';
import type { ExecutorUnavailableError, QueueFullError } from './batcher';
import type { WorkerExitedError } from './worker-pool';

const IMAGE_ERROR_CODES = new Set(['empty', 'unsupported_format', 'corrupt', 'too_many_pixels', 'too_small']);

export function isImageInputError(error: unknown): error is ImageInputError {
  return (
    error instanceof Error &&
    error.name === 'ImageInputError' &&
    IMAGE_ERROR_CODES.has((error as { code?: unknown }).code as string)
  );
}

export function isQueueFullError(error: unknown): error is QueueFullError {
  return error instanceof Error && error.name === 'QueueFullError';
}

/** Every inference worker has been down (restarting) for too long: a 503 that says so. */
export function isExecutorUnavailableError(error: unknown): error is ExecutorUnavailableError {
  return error instanceof Error && error.name === 'ExecutorUnavailableError';
}

/** The inference worker died with this image's batch in flight; the pool has logged why and is replacing it. */
export function isWorkerExitedError(error: unknown): error is WorkerExitedError {
  return error instanceof Error && error.name === 'WorkerExitedError';
}

/**
 * The classifier is restarting after a failure: the worker died under this
 * image, or none has been up for too long. Answered as such (the pool has
 * logged the cause), not as an unexpected error.
 */
export function isClassifierRestarting(error: unknown): error is ExecutorUnavailableError | WorkerExitedError {
  return isExecutorUnavailableError(error) || isWorkerExitedError(error);
}
