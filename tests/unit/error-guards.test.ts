/**
 * The serving errors are recognised across bundles: in the production build
 * the inference service lives in instrumentation.ts's bundle, with its own
 * copies of the error classes, so the route and the upload action must not
 * rely on `instanceof` (a zero-byte upload was answered 503 instead of 400).
 */
import { ImageInputError } from '~/lib/ml/image';
import { ExecutorUnavailableError, QueueFullError } from '~/lib/serving/batcher';
import { isClassifierRestarting, isExecutorUnavailableError, isImageInputError, isQueueFullError, isWorkerExitedError } from '~/lib/serving/error-guards';
import { WorkerExitedError } from '~/lib/serving/worker-pool';

/** What another bundle's copy of the class looks like: same name and shape, different constructor. */
class OtherBundleImageInputError extends Error {
  override name = 'ImageInputError';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}
class OtherBundleQueueFullError extends Error {
  override name = 'QueueFullError';
}

it('recognises image input errors from this bundle and from another copy of the class', () => {
  expect(isImageInputError(new ImageInputError('empty', 'The file is empty'))).toBe(true);
  const foreign = new OtherBundleImageInputError('unsupported_format', 'HEIC/HEIF photos are not supported');
  expect(foreign instanceof ImageInputError).toBe(false);
  expect(isImageInputError(foreign)).toBe(true);
});

it('recognises a full queue from either copy, and nothing else', () => {
  expect(isQueueFullError(new QueueFullError(4))).toBe(true);
  expect(isQueueFullError(new OtherBundleQueueFullError('full'))).toBe(true);
  for (const other of [new Error('boom'), new OtherBundleImageInputError('made-up', 'x'), { name: 'ImageInputError', code: 'empty' }, null, 'ImageInputError']) {
    expect(isImageInputError(other)).toBe(false);
    expect(isQueueFullError(other)).toBe(false);
  }
});

it('recognises "every worker is restarting" from either copy, and nothing else', () => {
  class OtherBundleExecutorUnavailableError extends Error {
    override name = 'ExecutorUnavailableError';
  }
  expect(isExecutorUnavailableError(new ExecutorUnavailableError(10_000))).toBe(true);
  expect(isExecutorUnavailableError(new OtherBundleExecutorUnavailableError('down'))).toBe(true);
  for (const other of [new QueueFullError(4), new Error('boom'), { name: 'ExecutorUnavailableError' }, null]) {
    expect(isExecutorUnavailableError(other)).toBe(false);
  }
});

it('recognises "the worker died under this image" from either copy, and counts both as the classifier restarting', () => {
  class OtherBundleWorkerExitedError extends Error {
    override name = 'WorkerExitedError';
  }
  const exited = new WorkerExitedError('inference worker exited with code 1');
  expect(isWorkerExitedError(exited)).toBe(true);
  expect(isWorkerExitedError(new OtherBundleWorkerExitedError('exited'))).toBe(true);
  expect(isClassifierRestarting(exited)).toBe(true);
  expect(isClassifierRestarting(new OtherBundleWorkerExitedError('exited'))).toBe(true);
  expect(isClassifierRestarting(new ExecutorUnavailableError(10_000))).toBe(true);
  for (const other of [new QueueFullError(4), new Error('boom'), new ImageInputError('empty', 'The file is empty'), { name: 'WorkerExitedError' }, null]) {
    expect(isWorkerExitedError(other)).toBe(false);
    expect(isClassifierRestarting(other)).toBe(false);
  }
});
