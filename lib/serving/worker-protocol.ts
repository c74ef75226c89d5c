/**
 * @file Messages between the worker pool (main thread) and an inference
 * worker. Types only: both sides import them.
 */
import type { Prediction } from '../ml/postprocess';
import type { ExecutionProvider, InferenceDevice } from '../ml/session';

export interface WorkerInit {
  cardPath: string;
  device: InferenceDevice;
  intraOpThreads: number;
  /**
   * Keep a spinning session for lone images too (see inference-worker.ts):
   * worker 0 only, since an idle batcher sends to the first free worker.
   */
  loneSession: boolean;
}

export type WorkerStatus =
  /** `spinsForLoneImages`: whether the worker has the spinning session for lone images (see inference-worker.ts). */
  | { type: 'ready'; executionProvider: ExecutionProvider; fallbackReason: string | null; spinsForLoneImages: boolean }
  | { type: 'failed'; message: string };

export interface WorkerRequest {
  id: number;
  /** `batch` images back to back, uint8 NHWC; transferred, not copied. */
  pixels: ArrayBuffer;
  batch: number;
  /** One image, and the only one the service holds: the worker may run it on its spinning session. */
  alone: boolean;
}

/**
 * Fault injection (see WorkerPool.simulateCrash and simulateStall): `crash`
 * makes the worker throw an uncaught error, i.e. die; `stall` blocks its
 * thread for `ms`, as a native call that does not return would.
 */
export type WorkerFaultRequest = { type: 'crash' } | { type: 'stall'; ms: number };

/** `spun`: the batch ran on the spinning session for lone images. */
export type WorkerReply = { id: number; predictions: Prediction[]; spun: boolean } | { id: number; error: string };
