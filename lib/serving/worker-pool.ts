/**
 * @file A fixed pool of inference worker threads (inference-worker.ts), each
 * with its own onnxruntime session, so `session.run` (synchronous native work)
 * never blocks the HTTP event loop. A batch's pixels are copied once into a
 * fresh ArrayBuffer, which is then *transferred* to the worker (no copy on
 * the way in; the buffer is detached here).
 */
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Prediction } from '../ml/postprocess';
import type { ExecutionProvider, InferenceDevice } from '../ml/session';
import type { WorkerInit, WorkerReply, WorkerRequest, WorkerStatus } from './worker-protocol';

export interface WorkerPoolOptions {
  cardPath: string;
  device: InferenceDevice;
  workers: number;
  intraOpThreads: number;
  /** Bytes of one image (height * width * 3). */
  imageBytes: number;
}

export class WorkerStartError extends Error {
  override name = 'WorkerStartError';
}

/**
 * The worker's entry file. Resolved from the project root at run time (not
 * through an import the bundler would follow): the file is plain CommonJS
 * that loads lib/ml itself.
 */
export function workerEntry(): string {
  return path.join(process.cwd(), 'lib', 'serving', 'inference-worker.cjs');
}

interface Pending {
  resolve(predictions: Prediction[]): void;
  reject(error: Error): void;
}

class PoolWorker {
  private readonly pending = new Map<number, Pending>();
  /** Waiting for `pending` to empty (see terminate). */
  private readonly idle: (() => void)[] = [];
  private nextId = 1;

  private constructor(
    private readonly worker: Worker,
    readonly status: Extract<WorkerStatus, { type: 'ready' }>,
  ) {
    worker.on('message', (reply: WorkerReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if ('error' in reply) waiting.reject(new Error(reply.error));
      else waiting.resolve(reply.predictions);
      this.notifyIfIdle();
    });
    const failAll = (error: Error) => {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
      this.notifyIfIdle();
    };
    worker.on('error', (error) => failAll(error));
    worker.on('exit', (code) => failAll(new Error(`inference worker exited with code ${code}`)));
  }

  static start(init: WorkerInit): Promise<PoolWorker> {
    // Turbopack (Next >= 16.2) bundles `new Worker(path)` calls on
    // worker_threads' Worker (and ignores turbopackIgnore there); the worker
    // must stay a plain file that loads lib/ml at run time, so the class is
    // taken from Node at run time where the bundler does not follow it.
    const { Worker: NodeWorker } = process.getBuiltinModule('node:worker_threads');
    const worker = new NodeWorker(workerEntry(), { workerData: init, env: process.env });
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(new WorkerStartError(`inference worker failed to start: ${error.message}`));
      worker.once('error', onError);
      worker.once('message', (status: WorkerStatus) => {
        worker.off('error', onError);
        if (status.type === 'ready') resolve(new PoolWorker(worker, status));
        else {
          void worker.terminate();
          reject(new WorkerStartError(status.message));
        }
      });
    });
  }

  run(pixels: ArrayBuffer, batch: number): Promise<Prediction[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: WorkerRequest = { id, pixels, batch };
      this.worker.postMessage(request, [pixels]);
    });
  }

  /**
   * Ends the thread once the batches in flight are answered: terminate()
   * while the thread is inside onnxruntime's synchronous session.run aborts
   * the whole process ("terminate called after throwing an instance of
   * 'Napi::Error'"), not just the thread.
   */
  async terminate(): Promise<void> {
    if (this.pending.size > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    await this.worker.terminate();
  }

  private notifyIfIdle(): void {
    if (this.pending.size === 0) for (const resolve of this.idle.splice(0)) resolve();
  }
}

export class WorkerPool {
  private constructor(
    private readonly workers: PoolWorker[],
    private readonly imageBytes: number,
  ) {}

  /** Starts every worker (each loads and warms up the model) and waits for all of them. */
  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    const init: WorkerInit = { cardPath: path.resolve(options.cardPath), device: options.device, intraOpThreads: options.intraOpThreads };
    const started = await Promise.allSettled(Array.from({ length: options.workers }, () => PoolWorker.start(init)));
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw failed.reason instanceof Error ? failed.reason : new WorkerStartError(String(failed.reason));
    }
    return new WorkerPool(workers, options.imageBytes);
  }

  get size(): number {
    return this.workers.length;
  }

  get executionProvider(): ExecutionProvider {
    return this.workers[0]!.status.executionProvider;
  }

  get fallbackReason(): string | null {
    return this.workers[0]!.status.fallbackReason;
  }

  /**
   * Classifies `images` (each exactly one image's bytes) in one batch on
   * worker `index`. If a batch fails as a whole, each image is retried alone,
   * so one image that breaks the model fails only its own request.
   */
  async run(index: number, images: readonly Uint8Array[]): Promise<(Prediction | Error)[]> {
    const worker = this.workers[index];
    if (!worker) throw new RangeError(`no worker ${index}`);
    try {
      return await worker.run(this.pack(images), images.length);
    } catch (error) {
      if (images.length === 1) return [error instanceof Error ? error : new Error(String(error))];
      const alone: (Prediction | Error)[] = [];
      for (const image of images) {
        try {
          alone.push((await worker.run(this.pack([image]), 1))[0]!);
        } catch (single) {
          alone.push(single instanceof Error ? single : new Error(String(single)));
        }
      }
      return alone;
    }
  }

  /** One contiguous, transferable buffer of the batch (a native memcpy per image). */
  private pack(images: readonly Uint8Array[]): ArrayBuffer {
    const buffer = new ArrayBuffer(images.length * this.imageBytes);
    const view = new Uint8Array(buffer);
    images.forEach((image, i) => {
      if (image.byteLength !== this.imageBytes) throw new RangeError(`image ${i} has ${image.byteLength} bytes, expected ${this.imageBytes}`);
      view.set(image, i * this.imageBytes);
    });
    return buffer;
  }

  /** Stops the workers, each after the batch it is running (if any) is answered. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
