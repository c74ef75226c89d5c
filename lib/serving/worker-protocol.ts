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
}

export type WorkerStatus =
  | { type: 'ready'; executionProvider: ExecutionProvider; fallbackReason: string | null }
  | { type: 'failed'; message: string };

export interface WorkerRequest {
  id: number;
  /** `batch` images back to back, uint8 NHWC; transferred, not copied. */
  pixels: ArrayBuffer;
  batch: number;
}

/**
 * Makes the worker throw an uncaught error, i.e. crash (fault injection: see
 * WorkerPool.simulateCrash).
 */
export interface WorkerCrashRequest {
  type: 'crash';
}

export type WorkerReply = { id: number; predictions: Prediction[] } | { id: number; error: string };
