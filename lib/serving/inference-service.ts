/**
 * @file The serving path shared by the REST API and the web upload action:
 * file bytes -> decode (sharp, in libuv's thread pool: never on the event
 * loop) -> micro-batcher -> worker-thread pool (onnxruntime) -> predictions.
 *
 * Memory stays bounded: callers take an admission ticket for the images they
 * have received, before decoding them, and the service refuses tickets beyond
 * `maxInFlight` images (the caller answers 429) instead of queueing without
 * limit. (Bodies still arriving hold no ticket: the API bounds their bytes.)
 *
 * A crashed worker is replaced by the pool; meanwhile the batcher sends
 * nothing to it, and with no worker ready requests wait at most the batcher's
 * maxUnavailableMs (then fail: 503). health() says how many workers are ready.
 */
import { decodeImage, type DecodedImage } from '../ml/image';
import { loadModelArtifacts, type ModelCard } from '../ml/model-card';
import type { Prediction } from '../ml/postprocess';
import type { ExecutionProvider, InferenceDevice } from '../ml/session';
import { usableCpus } from './cpu-quota';
import { MicroBatcher, type BatcherStats } from './batcher';
import { Capacity, type CapacityLease } from './capacity';
import { WorkerPool } from './worker-pool';

export interface InferenceServiceOptions {
  cardPath: string;
  device: InferenceDevice;
  /** Worker threads; 0 = sized to the machine and the provider (one on CUDA; see defaultThreads). */
  workers: number;
  /** onnxruntime intra-op threads per worker; 0 = sized to the machine. */
  intraOpThreads: number;
  maxPixels: number;
  /** Micro-batching on/off; off sends every image alone (maxBatch 1, no delay). */
  batching: boolean;
  maxBatch: number;
  maxDelayMs: number;
  /** Images admitted at once (received and being decoded, queued or classified). */
  maxInFlight: number;
}

export interface ServedClassification extends Prediction {
  image: Pick<DecodedImage, 'format' | 'width' | 'height'>;
  /** decode: bytes -> pixels; inference: queued + batched + model, ms. */
  timings: { decodeMs: number; inferenceMs: number };
}

export interface InferenceHealth {
  executionProvider: ExecutionProvider;
  fallbackReason: string | null;
  /** Configured workers. */
  workers: number;
  /** Workers ready to serve; fewer than `workers` while crashed ones are being replaced. */
  readyWorkers: number;
  /** Crashed workers replaced since start. */
  workerRestarts: number;
  /** Whether a lone image runs on a worker's spinning session (see inference-worker.ts), and how many did since start. */
  spinsForLoneImages: boolean;
  loneImageRuns: number;
  intraOpThreads: number;
  batching: { enabled: boolean; maxBatch: number; maxDelayMs: number };
  inFlight: number;
  maxInFlight: number;
  batches: BatcherStats;
}

/** The places for one request's images, all taken at admission; release it when the request is done. */
export type AdmissionTicket = Pick<CapacityLease, 'release'>;

/**
 * Thread counts from the machine and the provider the workers run on (the
 * CPUs this process may use: a container's CPU quota counts, see cpu-quota.ts): on the
 * CPU one worker per two cores (decoding and HTTP need the rest), at least
 * one, each with two intra-op threads. Under load the cores are shared anyway
 * (the threads do not spin; see session.ts), and a lone request gets its
 * model run spread over two cores: at concurrency 1 on 2 cores, p50 9.1 ->
 * 8.2 ms with the same requests/s at concurrency 32.
 */
export function defaultThreads(cores = usableCpus(), provider: ExecutionProvider = 'cpu'): { workers: number; intraOpThreads: number } {
  // On CUDA one worker: each would hold a CUDA context and memory pool of its
  // own on the one GPU, which runs them in turn, and the batches they split
  // between them would stay small. With 'auto' the pool asks once its first
  // worker has settled the provider.
  const workers = provider === 'cuda' ? 1 : Math.max(1, Math.floor(cores / 2));
  return { workers, intraOpThreads: Math.max(1, Math.min(2, Math.floor(cores / workers))) };
}

export class InferenceService {
  private constructor(
    readonly card: ModelCard,
    private readonly pool: WorkerPool,
    private readonly batcher: MicroBatcher<Uint8Array, Prediction>,
    /** Places for images: received, then decoded, queued or running. */
    private readonly places: Capacity,
    private readonly options: InferenceServiceOptions,
  ) {}

  /** Reads and verifies the model card, starts the workers (each warms its session) and the batcher. */
  static async start(options: InferenceServiceOptions): Promise<InferenceService> {
    const { card } = await loadModelArtifacts(options.cardPath);
    const [, height, width, channels] = card.input.shape;
    // Read once: it reads the cgroup files.
    const cpus = usableCpus();
    const resolved = {
      ...options,
      // The same on either provider (two, or one on a one-core machine), so it
      // is known before the first worker settles the provider.
      intraOpThreads: options.intraOpThreads || defaultThreads(cpus).intraOpThreads,
      maxBatch: options.batching ? options.maxBatch : 1,
      maxDelayMs: options.batching ? options.maxDelayMs : 0,
    };
    const pool = await WorkerPool.start({
      cardPath: options.cardPath,
      device: options.device,
      workers: options.workers || ((provider) => defaultThreads(cpus, provider).workers),
      intraOpThreads: resolved.intraOpThreads,
      imageBytes: height * width * channels,
    });
    const places = new Capacity(options.maxInFlight);
    const batcher = new MicroBatcher<Uint8Array, Prediction>({
      executors: pool.size,
      maxBatch: resolved.maxBatch,
      maxDelayMs: resolved.maxDelayMs,
      // Admission already bounds what can arrive here; this is a second fence.
      maxQueue: Math.max(1, options.maxInFlight),
      // One image that is the only one admitted (no other image received, decoding, queued or running) is "alone":
      // the worker may spin its threads for it (see inference-worker.ts), which only an idle service can afford.
      // Images sent without a ticket (classifyPixels) never are: nothing tells how many others are around.
      run: (executor, images) => pool.run(executor, images, images.length === 1 && places.inUse === 1),
    });
    pool.onWorkerStateChange((index, ready) => batcher.setAvailable(index, ready));
    return new InferenceService(card, pool, batcher, places, resolved);
  }

  get executionProvider(): ExecutionProvider {
    return this.pool.executionProvider;
  }

  get fallbackReason(): string | null {
    return this.pool.fallbackReason;
  }

  get inputSize(): number {
    return this.card.input.shape[1];
  }

  /** Images admitted at once at most (INFERENCE_MAX_IN_FLIGHT): a request with more can never be admitted. */
  get maxInFlight(): number {
    return this.places.limit;
  }

  /** Whether `images` places are free now; reserves nothing (an early refusal, before work that admission would waste). */
  hasRoomFor(images: number): boolean {
    return this.places.fits(images);
  }

  /** Reserves places for `images` images, or returns null (nothing reserved) when the service is full. */
  tryAdmit(images: number): AdmissionTicket | null {
    return this.places.tryLease(images);
  }

  /** File bytes -> model input (throws ImageInputError for unusable files). */
  decode(bytes: Uint8Array): Promise<DecodedImage> {
    return decodeImage(bytes, { size: this.inputSize, maxPixels: this.options.maxPixels });
  }

  /**
   * Classifies one file. Throws ImageInputError (the file), QueueFullError
   * (overload) or an Error from the model.
   */
  async classify(bytes: Uint8Array): Promise<ServedClassification> {
    const t0 = performance.now();
    const decoded = await this.decode(bytes);
    const t1 = performance.now();
    const prediction = await this.batcher.submit(decoded.pixels);
    const t2 = performance.now();
    return {
      ...prediction,
      image: { format: decoded.format, width: decoded.width, height: decoded.height },
      timings: { decodeMs: t1 - t0, inferenceMs: t2 - t1 },
    };
  }

  /** Already-decoded model inputs, through the batcher (tests, benchmarks). */
  classifyPixels(pixels: Uint8Array): Promise<Prediction> {
    return this.batcher.submit(pixels);
  }

  health(): InferenceHealth {
    return {
      executionProvider: this.executionProvider,
      fallbackReason: this.fallbackReason,
      workers: this.pool.size,
      readyWorkers: this.pool.readyWorkers,
      workerRestarts: this.pool.restarts,
      spinsForLoneImages: this.pool.spinsForLoneImages,
      loneImageRuns: this.pool.loneRuns,
      intraOpThreads: this.options.intraOpThreads,
      batching: { enabled: this.options.batching, maxBatch: this.options.maxBatch, maxDelayMs: this.options.maxDelayMs },
      inFlight: this.places.inUse,
      maxInFlight: this.options.maxInFlight,
      batches: this.batcher.stats(),
    };
  }

  /** Fault injection (tests, drills): see WorkerPool.simulateCrash. */
  simulateWorkerCrash(index: number): Promise<void> {
    return this.pool.simulateCrash(index);
  }

  async close(): Promise<void> {
    this.batcher.close();
    await this.pool.close();
  }
}
