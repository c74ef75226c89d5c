/**
 * Options of a small inference service of the tests' own. Not in helpers.ts:
 * this loads lib/env, which tests that set process.env before loading the app
 * (limits.test.ts) must be able to import helpers without.
 */
import { env } from '~/lib/env';
import type { InferenceServiceOptions } from '~/lib/serving/inference-service';

/** One worker with one intra-op thread, batching on. */
export const serviceOptions: InferenceServiceOptions = {
  cardPath: env.MODEL_CARD_PATH,
  device: 'cpu',
  workers: 1,
  intraOpThreads: 1,
  maxPixels: env.MAX_IMAGE_PIXELS,
  batching: true,
  maxBatch: 8,
  maxDelayMs: 20,
  maxInFlight: 64,
};
