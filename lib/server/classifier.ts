import 'server-only';

import { Classifier } from '~/lib/ml/classifier';
import { env } from '~/lib/env';

const globalForClassifier = globalThis as unknown as { petlensClassifier?: Promise<Classifier> };

/**
 * The process's one Classifier (one ONNX session), loaded on first use.
 * The *promise* is memoised, so concurrent first requests share one load; a
 * failed load is forgotten so the next request retries (and reports) it.
 */
export function getClassifier(): Promise<Classifier> {
  globalForClassifier.petlensClassifier ??= Classifier.load({
    cardPath: env.MODEL_CARD_PATH,
    device: env.INFERENCE_DEVICE,
    intraOpThreads: env.INFERENCE_THREADS,
    maxPixels: env.MAX_IMAGE_PIXELS,
  }).catch((error: unknown) => {
    globalForClassifier.petlensClassifier = undefined;
    throw error;
  });
  return globalForClassifier.petlensClassifier;
}

/** Releases the session (tests and scripts). */
export async function disposeClassifier(): Promise<void> {
  const pending = globalForClassifier.petlensClassifier;
  globalForClassifier.petlensClassifier = undefined;
  if (pending) await (await pending).dispose();
}
