/**
 * @file The app's one inference service, configured from env. Plain Node (no
 * 'server-only'), because instrumentation.ts starts it when the server boots;
 * app code imports it through lib/server/inference.ts. Kept on globalThis, so
 * every bundle of the Next server (and dev reloads) shares one pool.
 */
import { env } from '~/lib/env';
import { ModelLoadError, type ModelLoadErrorCode } from '~/lib/ml/model-card';
import { InferenceService } from '~/lib/serving/inference-service';
import { restartDelayMs, type RestartBackoff } from '~/lib/serving/worker-pool';

// What health tells anyone who asks: the kind of failure, never the paths and
// OS messages the full error carries (instrumentation.ts logs those at start).
const PUBLIC_START_ERRORS: Record<ModelLoadErrorCode, string> = {
  card_unreadable: 'the model card cannot be read',
  card_invalid: 'the model card is invalid',
  model_unreadable: 'the model file cannot be read',
  model_mismatch: 'the model file is corrupt or not the one its card describes',
};

function publicStartError(error: unknown): string {
  const what = error instanceof ModelLoadError ? PUBLIC_START_ERRORS[error.code] : 'the classifier could not start';
  return `${what} (details in the server log)`;
}

const globalForInference = globalThis as unknown as {
  petlensInference?: Promise<InferenceService>;
  petlensInferenceError?: string;
  /** Starts failed in a row: how long the last failure is kept grows with them. */
  petlensInferenceFailures?: number;
};

/** A failed start is answered from memory for 1 s, then 2, 4 … at most 30 s, before it is tried again. */
const START_RETRY: RestartBackoff = { initialMs: 1_000, maxMs: 30_000 };

/**
 * The process's inference service: worker threads (one onnxruntime session
 * each) behind a micro-batcher, started on first use. The *promise* is
 * memoised, so concurrent first requests share one start. A failed start is
 * kept for a while (1 s, doubling to 30 s), so requests meanwhile get its
 * answer at once instead of each starting workers, loading the model and
 * trying CUDA again; after that the next request retries (and reports) it.
 */
export function getInferenceService(): Promise<InferenceService> {
  if (globalForInference.petlensInference) return globalForInference.petlensInference;
  const starting: Promise<InferenceService> = InferenceService.start({
    cardPath: env.MODEL_CARD_PATH,
    device: env.INFERENCE_DEVICE,
    workers: env.INFERENCE_WORKERS,
    intraOpThreads: env.INFERENCE_THREADS,
    maxPixels: env.MAX_IMAGE_PIXELS,
    batching: env.INFERENCE_BATCHING,
    maxBatch: env.INFERENCE_BATCH_MAX,
    maxDelayMs: env.INFERENCE_BATCH_DELAY_MS,
    maxInFlight: env.INFERENCE_MAX_IN_FLIGHT,
  }).then(
    (service) => {
      const health = service.health();
      const reason = service.fallbackReason ? ` (CUDA unavailable: ${service.fallbackReason})` : '';
      console.log(
        `[petlens] model ${service.card.name} ${service.card.version} on ${service.executionProvider}${reason}; ` +
          `${health.workers} worker(s) x ${health.intraOpThreads} thread(s)` +
          `${health.spinsForLoneImages ? ' (spinning for a lone image)' : ''}, ` +
          `batching ${health.batching.enabled ? `on (<= ${health.batching.maxBatch} images / ${health.batching.maxDelayMs} ms)` : 'off'}`,
      );
      globalForInference.petlensInferenceError = undefined;
      globalForInference.petlensInferenceFailures = undefined;
      return service;
    },
    (error: unknown) => {
      const failures = (globalForInference.petlensInferenceFailures ?? 0) + 1;
      globalForInference.petlensInferenceFailures = failures;
      const retryMs = restartDelayMs(failures, START_RETRY);
      globalForInference.petlensInferenceError = publicStartError(error);
      setTimeout(() => {
        if (globalForInference.petlensInference === starting) globalForInference.petlensInference = undefined;
      }, retryMs).unref();
      throw error;
    },
  );
  globalForInference.petlensInference = starting;
  return starting;
}

/** Why the last start failed, if it did, in words safe to show anyone (for health). */
export function lastInferenceStartError(): string | null {
  return globalForInference.petlensInferenceError ?? null;
}

/** Stops the workers (tests and scripts). */
export async function disposeInferenceService(): Promise<void> {
  const pending = globalForInference.petlensInference;
  globalForInference.petlensInference = undefined;
  globalForInference.petlensInferenceFailures = undefined;
  if (pending) await (await pending.catch(() => null))?.close();
}
