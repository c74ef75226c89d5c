/**
 * @file A fixed pool of inference worker threads (inference-worker.ts), each
 * with its own onnxruntime session, so `session.run` (synchronous native work)
 * never blocks the HTTP event loop. A batch's pixels are copied once into a
 * fresh ArrayBuffer, which is then *transferred* to the worker (no copy on
 * the way in; the buffer is detached here).
 *
 * Self-healing: a worker that exits while the pool is open (an uncaught
 * error, running out of memory under resourceLimits, process.exit in the
 * thread) fails its in-flight batch, is reported unavailable to the pool's
 * listener (the batcher stops sending it work) and is replaced by a fresh
 * worker on the provider the pool settled (see WorkerPool.start). A replacement that fails to start is retried
 * after 0.5 s, 1 s, 2 s ... at most 30 s. A worker that leaves a batch
 * unanswered past a deadline (stuck in a native call) is taken out of service
 * the same way, though its thread can only be ended once it returns. A native
 * crash that aborts the whole process is beyond any thread pool's reach.
 */
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Prediction } from '../ml/postprocess';
import type { ExecutionProvider, InferenceDevice } from '../ml/session';
import type { WorkerFaultRequest, WorkerInit, WorkerReply, WorkerRequest, WorkerStatus } from './worker-protocol';

export interface WorkerPoolOptions {
  cardPath: string;
  device: InferenceDevice;
  /**
   * How many workers; a function is asked with the execution provider (with
   * device 'auto', once the first worker has settled it).
   */
  workers: number | ((provider: ExecutionProvider) => number);
  intraOpThreads: number;
  /** Bytes of one image (height * width * 3). */
  imageBytes: number;
  /** Delays between restart attempts of a crashed worker; default DEFAULT_RESTART_BACKOFF. */
  restartBackoff?: RestartBackoff;
  /** One line per crash and restart attempt; default console.error. */
  log?: (line: string) => void;
  /** How long a worker may take to load and warm up the model before its start counts as failed; default DEFAULT_START_TIMEOUT_MS. */
  startTimeoutMs?: number;
  /** How long a batch may go unanswered before its worker counts as stuck; default DEFAULT_BATCH_TIMEOUT_MS. */
  batchTimeoutMs?: number;
}

/**
 * Loading and warming up takes about a second on the CPU and some seconds on a GPU. A worker still not ready after
 * two minutes is stuck (a GPU driver hanging in setup, say): without a limit the pool, and with it the server's
 * start, would wait for it forever, saying nothing.
 */
export const DEFAULT_START_TIMEOUT_MS = 120_000;

/**
 * A batch of 16 takes well under a second on two CPU cores, a few under heavy load. One unanswered for 30 s is stuck
 * (a hung GPU driver, a deadlocked native call): without a deadline its requests would wait for the HTTP server's
 * own timeout, the queue would fill behind it, and health would still say ok.
 */
export const DEFAULT_BATCH_TIMEOUT_MS = 30_000;

/**
 * Workers given up on, at their start or in a batch, and still running (see PoolWorker.start and abandon).
 * Process-wide: while one is stuck, no pool starts another, since whatever stuck it (a hung GPU driver) would most
 * likely stick the next one too, and each retry would leave one more thread, with its isolate and session, behind.
 */
let abandonedWorkers = 0;
/** Waiting for abandonedWorkers to reach 0 (see untilNoWorkerIsStuck). */
const waitingForNoneStuck: (() => void)[] = [];

/**
 * Counts `worker` as abandoned until it exits, and ends it once it next
 * answers (it is idle then). It is left to finish, not terminated: a thread
 * inside a native call cannot be stopped from here, and ending it as that
 * call returns would abort the whole process (see PoolWorker.terminate).
 */
function abandonWorker(worker: Worker): void {
  abandonedWorkers += 1;
  worker.once('message', () => void worker.terminate());
  worker.once('exit', () => {
    abandonedWorkers -= 1;
    if (abandonedWorkers === 0) for (const resume of waitingForNoneStuck.splice(0)) resume();
  });
  // Last: adding a 'message' listener refs the worker's port again, so unref() must come after the listeners.
  worker.unref();
}

/** Settles once no abandoned worker is running (at once when none is). */
function untilNoWorkerIsStuck(): Promise<void> {
  return abandonedWorkers === 0 ? Promise.resolve() : new Promise((resolve) => waitingForNoneStuck.push(resolve));
}

/** How many workers given up on are still running; 0 once each has answered (and been ended) or exited. */
export function abandonedWorkerCount(): number {
  return abandonedWorkers;
}

export interface RestartBackoff {
  /** Delay after the first failed attempt, ms; it doubles after each further one. */
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_RESTART_BACKOFF: RestartBackoff = { initialMs: 500, maxMs: 30_000 };

/**
 * How long to wait before restart attempt `attempt` (0 = the first after a
 * crash) of one worker: at once, then initialMs, doubling, capped at maxMs.
 */
export function restartDelayMs(attempt: number, backoff: RestartBackoff = DEFAULT_RESTART_BACKOFF): number {
  if (attempt <= 0) return 0;
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** (attempt - 1));
}

export class WorkerStartError extends Error {
  override name = 'WorkerStartError';
}

/** The worker died (or is being replaced): its requests fail with this, not with an image's fault. */
export class WorkerExitedError extends Error {
  override name = 'WorkerExitedError';
}

/**
 * The worker's entry file. Resolved from the project root at run time (not
 * through an import the bundler would follow): the file is plain CommonJS
 * that loads lib/ml itself.
 */
export function workerEntry(): string {
  return path.join(process.cwd(), 'lib', 'serving', 'inference-worker.cjs');
}

/** A worker's answer to one batch. */
interface BatchAnswer {
  predictions: Prediction[];
  /** It ran on the worker's spinning session for lone images. */
  spun: boolean;
}

interface Pending {
  resolve(answer: BatchAnswer): void;
  reject(error: Error): void;
  /** Fires when the batch has gone unanswered too long (see abandon). */
  deadline: NodeJS.Timeout;
}

type ReadyStatus = Extract<WorkerStatus, { type: 'ready' }>;

/** What every worker of the pool starts with; PoolWorker.start adds what differs by worker. */
type PoolInit = Omit<WorkerInit, 'loneSession'>;

/** What a worker starts with once the pool has settled its provider: never 'auto'. */
type SettledInit = PoolInit & { device: ExecutionProvider };

class PoolWorker {
  private readonly pending = new Map<number, Pending>();
  /** Waiting for `pending` to empty (see terminate). */
  private readonly idle: (() => void)[] = [];
  private nextId = 1;
  private exited: WorkerExitedError | null = null;
  /** Taken out of service while stuck in a batch (see abandon); its thread still runs. */
  private abandoned = false;
  private terminating = false;
  /** Settles once the exit has been handled (pending failed, onExit called). */
  private readonly gone: Promise<void>;
  readonly readyAt = performance.now();

  /** `onExit` runs once, after the pending requests have been failed. */
  private constructor(
    private readonly worker: Worker,
    readonly status: ReadyStatus,
    private readonly onExit: (reason: WorkerExitedError) => void,
    private readonly batchTimeoutMs: number,
  ) {
    worker.on('message', (reply: WorkerReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      clearTimeout(waiting.deadline);
      if ('error' in reply) waiting.reject(new Error(reply.error));
      else waiting.resolve({ predictions: reply.predictions, spun: reply.spun });
      this.notifyIfIdle();
    });
    // An uncaught error in the thread comes as 'error', then 'exit' (code 1):
    // keep its message for the exit's reason.
    let uncaught: Error | null = null;
    worker.on('error', (error) => (uncaught = error));
    this.gone = new Promise((resolve) =>
      worker.once('exit', (code) => {
        // An abandoned worker has already failed its requests and left service.
        if (!this.abandoned) this.leaveService(new WorkerExitedError(`inference worker exited with code ${code}${uncaught ? ` after an uncaught error: ${uncaught.message}` : ''}`));
        resolve();
      }),
    );
  }

  /**
   * Starts worker `index`. Only worker 0 keeps the spinning session for lone
   * images, since a lone image goes to the first free worker, which on an idle
   * service is worker 0 (the others would hold a second session and its threads
   * for nothing; while worker 0 is down, a lone image runs on a sleeping one).
   */
  static start(init: PoolInit, index: number, onExit: (reason: WorkerExitedError) => void, timeoutMs: number, batchTimeoutMs: number): Promise<PoolWorker> {
    // Turbopack (Next >= 16.2) bundles `new Worker(path)` calls on
    // worker_threads' Worker (and ignores turbopackIgnore there); the worker
    // must stay a plain file that loads lib/ml at run time, so the class is
    // taken from Node at run time where the bundler does not follow it.
    if (abandonedWorkers > 0) {
      return Promise.reject(new WorkerStartError('an earlier inference worker is still stuck (in loading the model or in a batch); not starting another until it ends'));
    }
    const { Worker: NodeWorker } = process.getBuiltinModule('node:worker_threads');
    const workerData: WorkerInit = { ...init, loneSession: index === 0 };
    const worker = new NodeWorker(workerEntry(), { workerData, env: process.env });
    return new Promise((resolve, reject) => {
      // Whichever comes first (an error, an early exit, the status, the time limit) ends the wait for the others.
      const detach = () => {
        clearTimeout(timer);
        worker.off('error', onError);
        worker.off('exit', onEarlyExit);
        worker.off('message', onStatus);
      };
      const onError = (error: Error) => {
        detach();
        reject(new WorkerStartError(`inference worker failed to start: ${error.message}`));
      };
      // Without this a worker that dies while loading (no 'error' event, e.g.
      // process.exit or a resource limit) would leave the start pending forever.
      const onEarlyExit = (code: number) => {
        detach();
        reject(new WorkerStartError(`inference worker exited with code ${code} before it was ready`));
      };
      const onStatus = (status: WorkerStatus) => {
        detach();
        if (status.type === 'ready') resolve(new PoolWorker(worker, status, onExit, batchTimeoutMs));
        else {
          void worker.terminate();
          reject(new WorkerStartError(status.message));
        }
      };
      const timer = setTimeout(() => {
        detach();
        reject(new WorkerStartError(`inference worker was not ready after ${timeoutMs / 1000} s (loading and warming up the model on ${init.device}); given up`));
        // An uncaught error in the thread ends it (the exit follows); without a listener it would throw here.
        worker.on('error', (error) => console.error(`[petlens] an inference worker given up on at its start failed: ${error.message}`));
        // Ended once it says how its start went.
        abandonWorker(worker);
      }, timeoutMs);
      worker.once('error', onError);
      worker.once('exit', onEarlyExit);
      worker.once('message', onStatus);
    });
  }

  get alive(): boolean {
    return this.exited === null;
  }

  run(pixels: ArrayBuffer, batch: number, alone: boolean): Promise<BatchAnswer> {
    // Posting to a dead worker is silently dropped: the promise would never settle.
    if (this.exited) return Promise.reject(this.exited);
    // Nothing new once terminate() waits for the thread to be idle (see there).
    if (this.terminating) return Promise.reject(new WorkerExitedError('inference worker is stopping'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // Unref'd: a deadline alone must not keep the process alive (the worker's port does while it runs).
      const deadline = setTimeout(() => this.abandon(), this.batchTimeoutMs).unref();
      this.pending.set(id, { resolve, reject, deadline });
      const request: WorkerRequest = { id, pixels, batch, alone };
      try {
        this.worker.postMessage(request, [pixels]);
      } catch (error) {
        // Never sent (a detached buffer, say): nothing will answer it, and its deadline must not blame the worker.
        clearTimeout(deadline);
        this.pending.delete(id);
        this.notifyIfIdle();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /**
   * Makes the thread die of an uncaught error (see WorkerPool.simulateCrash);
   * settles once the pool has handled its exit.
   */
  crash(): Promise<void> {
    this.worker.postMessage({ type: 'crash' } satisfies WorkerFaultRequest);
    return this.gone;
  }

  /** Blocks the thread for `ms`, as a stuck native call would (see WorkerPool.simulateStall). */
  stall(ms: number): void {
    this.worker.postMessage({ type: 'stall', ms } satisfies WorkerFaultRequest);
  }

  /** Fails what is in flight with `reason` and tells the pool the worker is out of service (once). */
  private leaveService(reason: WorkerExitedError): void {
    this.exited = reason;
    for (const waiting of this.pending.values()) {
      clearTimeout(waiting.deadline);
      waiting.reject(reason);
    }
    this.pending.clear();
    this.notifyIfIdle();
    this.onExit(reason);
  }

  /**
   * A batch went unanswered past the deadline: the thread is stuck. Its
   * requests fail and the pool replaces it as it would a crashed worker. The
   * thread is ended once it answers (abandonWorker): it is idle then, since
   * the pool sends a worker one batch at a time and nothing once it is out of
   * service. Until then no worker starts anywhere (see abandonedWorkers):
   * what stuck this one would most likely stick the next; the replacement
   * starts as soon as it has ended.
   */
  private abandon(): void {
    if (this.exited) return;
    this.abandoned = true;
    abandonWorker(this.worker);
    this.leaveService(new WorkerExitedError(`inference worker did not answer a batch within ${this.batchTimeoutMs / 1000} s; taken out of service`));
  }

  /**
   * Ends the thread once the batches in flight are answered: terminate()
   * while the thread is inside onnxruntime's synchronous session.run aborts
   * the whole process ("terminate called after throwing an instance of
   * 'Napi::Error'"), not just the thread.
   */
  async terminate(): Promise<void> {
    // A stuck thread is ended when it answers (see abandon): ending it now could abort the process.
    if (this.abandoned) return;
    // From here run() refuses new work: a batch retried image by image posts
    // its next image as the last one is answered, which would otherwise put
    // the thread back inside session.run just as it is terminated.
    this.terminating = true;
    // Only run() adds to `pending`, and it refuses from here on, so one wait for idle is enough.
    if (this.pending.size > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    // The wait can end because the batch's deadline abandoned the worker, not because the thread answered.
    if (this.abandoned) return;
    await this.worker.terminate();
  }

  private notifyIfIdle(): void {
    if (this.pending.size === 0) for (const resolve of this.idle.splice(0)) resolve();
  }
}

/** Called when worker `index` leaves service (false: crashed) or joins it (true: its replacement is ready). */
export type WorkerStateListener = (index: number, ready: boolean) => void;

export class WorkerPool {
  private closed = false;
  private restartCount = 0;
  private loneRunCount = 0;
  private listener: WorkerStateListener = () => {};
  /** Per slot: consecutive restart attempts without a stable run (see onWorkerExit). */
  private readonly attempts: number[];
  private readonly restartTimers: (NodeJS.Timeout | null)[];
  /** Replacements being started, so close() can wait for them and stop them too. */
  private readonly starting = new Set<Promise<unknown>>();
  private readonly backoff: RestartBackoff;
  private readonly log: (line: string) => void;
  private readonly startTimeoutMs: number;
  private readonly batchTimeoutMs: number;

  /**
   * `workers` holds each slot's latest worker, dead ones included until
   * replaced; `init.device` is the provider every one of them runs on, and
   * `fallbackReason` why not CUDA when 'auto' fell back (see start).
   */
  private constructor(
    private readonly init: SettledInit,
    private readonly workers: PoolWorker[],
    private readonly imageBytes: number,
    private readonly settledFallbackReason: string | null,
    options: Pick<WorkerPoolOptions, 'restartBackoff' | 'log'> & { startTimeoutMs: number; batchTimeoutMs: number },
  ) {
    this.startTimeoutMs = options.startTimeoutMs;
    this.batchTimeoutMs = options.batchTimeoutMs;
    this.attempts = workers.map(() => 0);
    this.restartTimers = workers.map(() => null);
    this.backoff = options.restartBackoff ?? DEFAULT_RESTART_BACKOFF;
    this.log = options.log ?? ((line) => console.error(line));
  }

  /**
   * Starts every worker (each loads and warms up the model) and waits for all
   * of them. With 'auto' the first one starts alone and settles the provider
   * (CUDA, or the CPU and why); the others and every replacement start on
   * that provider, not on 'auto'. So CUDA is tried once, not once per worker,
   * the number of workers can follow the provider, and the pool runs on one
   * provider, the one health reports and predictions record. (A GPU that
   * fails later shows as replacements failing to start, logged, and health
   * degraded or unavailable, not as a quiet move to the CPU; restarting the
   * app lets 'auto' choose again.) Throws RangeError for a worker count that
   * is not a whole number of at least 1.
   */
  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    // The pool exists once all have started; a worker that dies before then
    // (while the others still load) is handed to it as soon as it does.
    let pool: WorkerPool | null = null;
    const exitedEarly: [number, WorkerExitedError][] = [];
    const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const batchTimeoutMs = options.batchTimeoutMs ?? DEFAULT_BATCH_TIMEOUT_MS;
    const startWorker = (init: PoolInit, index: number) =>
      PoolWorker.start(init, index, (reason) => (pool ? pool.onWorkerExit(index, reason) : exitedEarly.push([index, reason])), startTimeoutMs, batchTimeoutMs);
    const requested: PoolInit = { cardPath: path.resolve(options.cardPath), device: options.device, intraOpThreads: options.intraOpThreads };
    const wholeCount = (count: number) => {
      if (!Number.isInteger(count) || count < 1) throw new RangeError(`a worker pool needs a whole number of workers, at least 1, not ${count}`);
      return count;
    };
    // A fixed number is checked before any worker starts; a function's answer once the provider is known.
    const workersFor = options.workers;
    if (typeof workersFor === 'number') wholeCount(workersFor);
    const first = options.device === 'auto' ? [await startWorker(requested, 0)] : [];
    const provider: ExecutionProvider = options.device === 'auto' ? first[0]!.status.executionProvider : options.device;
    const init: SettledInit = { ...requested, device: provider };
    let count: number;
    try {
      count = typeof workersFor === 'number' ? workersFor : wholeCount(workersFor(provider));
    } catch (error) {
      await Promise.all(first.map((w) => w.terminate()));
      throw error;
    }
    const started = await Promise.allSettled(Array.from({ length: count - first.length }, (_, i) => startWorker(init, first.length + i)));
    const workers = [...first, ...started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))];
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw failed.reason instanceof Error ? failed.reason : new WorkerStartError(String(failed.reason));
    }
    pool = new WorkerPool(init, workers, options.imageBytes, workers[0]!.status.fallbackReason, { ...options, startTimeoutMs, batchTimeoutMs });
    for (const [index, reason] of exitedEarly) pool.onWorkerExit(index, reason);
    return pool;
  }

  /**
   * Tells `listener` (one at a time) when a worker leaves or rejoins service,
   * and at once about any that is down already.
   */
  onWorkerStateChange(listener: WorkerStateListener): void {
    this.listener = listener;
    this.workers.forEach((worker, index) => {
      if (!worker.alive) listener(index, false);
    });
  }

  /** Workers started and not crashed, out of `size`. */
  get readyWorkers(): number {
    return this.workers.filter((w) => w.alive).length;
  }

  /** Crashed workers replaced since the pool started. */
  get restarts(): number {
    return this.restartCount;
  }

  /** Whether the workers keep a spinning session for lone images (see inference-worker.ts). */
  get spinsForLoneImages(): boolean {
    return this.workers.some((w) => w.status.spinsForLoneImages);
  }

  /** Lone images sent to a worker's spinning session since the pool started. */
  get loneRuns(): number {
    return this.loneRunCount;
  }

  /**
   * Crashes worker `index` for real: it is sent a message on which it throws
   * an uncaught error, so the thread dies as from any bug in it, and the pool
   * fails what it had sent that worker (batches sent right after this call
   * included: the worker reads its messages in order) and replaces it.
   * Resolves once the pool has handled the exit. For fault-injection tests
   * and drills; nothing in the app calls it. Not worker.terminate(): that
   * from outside, while the thread is inside session.run, aborts the whole
   * process. No opt-in flag either: only this pool can post to its workers,
   * and what the message does is what the pool must survive anyway.
   */
  simulateCrash(index: number): Promise<void> {
    return this.worker(index).crash();
  }

  /**
   * Blocks worker `index`'s thread for `ms` (Atomics.wait, so it reads no
   * message meanwhile), as a native call that does not return would: a batch
   * sent to it then goes unanswered past the batch deadline. For
   * fault-injection tests, like simulateCrash.
   */
  simulateStall(index: number, ms: number): void {
    this.worker(index).stall(ms);
  }

  private worker(index: number): PoolWorker {
    const worker = this.workers[index];
    if (!worker) throw new RangeError(`no worker ${index}`);
    return worker;
  }

  private onWorkerExit(index: number, reason: WorkerExitedError): void {
    if (this.closed) return;
    this.listener(index, false);
    const worker = this.workers[index]!;
    const upMs = performance.now() - worker.readyAt;
    // A worker that ran a while before crashing restarts at once; one that
    // crashes soon after each start (a crash loop) backs off like a failed start.
    if (upMs >= this.backoff.maxMs) this.attempts[index] = 0;
    const delay = restartDelayMs(this.attempts[index]!, this.backoff);
    this.log(`[petlens] inference worker ${index} crashed after ${(upMs / 1000).toFixed(1)} s (${reason.message}); restarting ${delay ? `in ${delay} ms` : 'now'}`);
    this.scheduleRestart(index, delay);
  }

  private scheduleRestart(index: number, delayMs: number): void {
    this.restartTimers[index] = setTimeout(() => {
      this.restartTimers[index] = null;
      const starting = this.restart(index);
      this.starting.add(starting);
      void starting.finally(() => this.starting.delete(starting));
    }, delayMs);
  }

  private async restart(index: number): Promise<void> {
    if (abandonedWorkers > 0) {
      // No start may be tried (see PoolWorker.start), so this is not a failed attempt: start the moment the stuck
      // thread has ended, not after a backoff.
      this.log(`[petlens] inference worker ${index} waits to restart until a stuck inference worker has ended`);
      void untilNoWorkerIsStuck().then(() => {
        if (!this.closed) this.scheduleRestart(index, 0);
      });
      return;
    }
    const attempt = ++this.attempts[index]!;
    const t0 = performance.now();
    let worker: PoolWorker;
    try {
      worker = await PoolWorker.start(this.init, index, (reason) => this.onWorkerExit(index, reason), this.startTimeoutMs, this.batchTimeoutMs);
    } catch (error) {
      if (this.closed) return;
      const delay = restartDelayMs(this.attempts[index]!, this.backoff);
      const message = error instanceof Error ? error.message : String(error);
      this.log(`[petlens] inference worker ${index} failed to restart (attempt ${attempt}: ${message}); next attempt in ${delay} ms`);
      this.scheduleRestart(index, delay);
      return;
    }
    if (this.closed) {
      await worker.terminate();
      return;
    }
    this.workers[index] = worker;
    this.restartCount += 1;
    this.log(`[petlens] inference worker ${index} restarted in ${Math.round(performance.now() - t0)} ms (attempt ${attempt}; ${this.restartCount} restart(s) since start)`);
    this.listener(index, true);
  }

  get size(): number {
    return this.workers.length;
  }

  /** The provider every worker runs on (see start). */
  get executionProvider(): ExecutionProvider {
    return this.init.device;
  }

  /** Why 'auto' settled on the CPU, as the first worker said (null on CUDA, and with 'cpu'). */
  get fallbackReason(): string | null {
    return this.settledFallbackReason;
  }

  /** The device the workers after the first, and every replacement, start with: the settled provider, never 'auto'. */
  get workerDevice(): InferenceDevice {
    return this.init.device;
  }

  /**
   * Classifies `images` (each exactly one image's bytes) in one batch on
   * worker `index`. If a batch fails as a whole, each image is retried alone,
   * so one image that breaks the model fails only its own request. `alone`:
   * one image that is the only one the service holds (see WorkerRequest).
   */
  async run(index: number, images: readonly Uint8Array[], alone = false): Promise<(Prediction | Error)[]> {
    const worker = this.worker(index);
    try {
      const answer = await worker.run(this.pack(images), images.length, alone);
      if (answer.spun) this.loneRunCount += 1;
      return answer.predictions;
    } catch (error) {
      // A dead worker is not the images' fault: retrying them alone on it is pointless.
      if (error instanceof WorkerExitedError) throw error;
      if (images.length === 1) return [error instanceof Error ? error : new Error(String(error))];
      const oneByOne: (Prediction | Error)[] = [];
      for (const image of images) {
        try {
          oneByOne.push((await worker.run(this.pack([image]), 1, false)).predictions[0]!);
        } catch (single) {
          oneByOne.push(single instanceof Error ? single : new Error(String(single)));
        }
      }
      return oneByOne;
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
    this.closed = true;
    for (const timer of this.restartTimers) if (timer) clearTimeout(timer);
    // A replacement still starting sees `closed` and terminates itself.
    await Promise.allSettled([...this.starting]);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
