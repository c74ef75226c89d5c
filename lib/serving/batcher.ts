/**
 * @file Micro-batching with a bounded queue. Concurrent requests each submit
 * one item; the batcher groups waiting items into batches of at most
 * `maxBatch`. An idle pool sends an item at once: waiting for companions
 * would only add latency to a lone request. While a batch runs, items gather;
 * a free executor takes them as soon as `maxBatch` are waiting or the oldest
 * has waited `maxDelayMs`, and an executor that finishes takes whatever
 * gathered during its run. So batches grow exactly when the load does.
 *
 * An executor can be taken out of rotation (its worker crashed and is being
 * replaced) and put back: nothing is dispatched to it meanwhile, and it takes
 * waiting items as soon as it is back. While *no* executor is available,
 * items wait (still bounded by `maxQueue`) until the outage is
 * `maxUnavailableMs` old; then they fail with ExecutorUnavailableError, and so
 * does submit() at once until an executor is back. So a quick restart costs
 * latency, not errors, and a long outage fails fast instead of holding
 * requests.
 *
 * Framework-free and independent of the model: the inference pool plugs in
 * worker threads as executors; unit tests plug in fakes.
 */

/** The queue is full: the caller should answer 429/503, not wait. */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
  constructor(readonly capacity: number) {
    super(`the inference queue is full (${capacity} images waiting)`);
  }
}

export class BatcherClosedError extends Error {
  override name = 'BatcherClosedError';
  constructor() {
    super('the inference pool is shutting down');
  }
}

/** No executor has been available for `maxUnavailableMs`: the caller should answer 503. */
export class ExecutorUnavailableError extends Error {
  override name = 'ExecutorUnavailableError';
  constructor(readonly waitedMs: number) {
    super(`no executor has been available for ${Math.round(waitedMs)} ms (all are restarting)`);
  }
}

/**
 * Default for `maxUnavailableMs`. A crashed inference worker is replaced in
 * about 0.3-0.5 s on CPU (model load and warm-up; a CUDA session takes
 * longer) and failed restarts are retried after 0.5, 1, 2 and 4 s, so 10 s
 * covers a restart and a few retries; past it the outage is not a blip and
 * callers are better told at once (503) than held.
 */
export const DEFAULT_MAX_UNAVAILABLE_MS = 10_000;

export interface BatcherOptions<I, O> {
  /** Number of executors that can each run one batch at a time. */
  executors: number;
  /** Largest batch; 1 turns batching off. */
  maxBatch: number;
  /** How long the oldest waiting item may wait for companions, ms; 0 sends at once. */
  maxDelayMs: number;
  /** Items waiting for an executor (not counting running batches); beyond it submit() throws QueueFullError. */
  maxQueue: number;
  /**
   * How long, from the moment the last available executor went out of
   * rotation, items may wait for one to come back; default
   * DEFAULT_MAX_UNAVAILABLE_MS.
   */
  maxUnavailableMs?: number;
  /**
   * Runs one batch on executor `executor` and returns one result per item, in
   * order: either the output or an Error for that item alone.
   */
  run(executor: number, items: I[]): Promise<(O | Error)[]>;
}

interface Waiting<I, O> {
  item: I;
  enqueuedAt: number;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export interface BatcherStats {
  queued: number;
  running: number;
  batches: number;
  items: number;
  /** Histogram: batch size -> how many batches had it. */
  batchSizes: Record<number, number>;
}

export class MicroBatcher<I, O> {
  private readonly queue: Waiting<I, O>[] = [];
  private readonly busy: boolean[];
  /** false while the executor is out of rotation (see setAvailable). */
  private readonly up: boolean[];
  /** When the last available executor went out of rotation; null while one is available. */
  private outageSince: number | null = null;
  private outageTimer: NodeJS.Timeout | null = null;
  private readonly maxUnavailableMs: number;
  private timer: NodeJS.Timeout | null = null;
  private timerDue = 0;
  private closed = false;
  private readonly counters = { batches: 0, items: 0, batchSizes: {} as Record<number, number> };

  constructor(private readonly options: BatcherOptions<I, O>) {
    this.maxUnavailableMs = options.maxUnavailableMs ?? DEFAULT_MAX_UNAVAILABLE_MS;
    if (options.executors < 1 || options.maxBatch < 1 || options.maxQueue < 1 || options.maxDelayMs < 0 || this.maxUnavailableMs < 0) {
      throw new RangeError('executors, maxBatch and maxQueue must be >= 1 and maxDelayMs, maxUnavailableMs >= 0');
    }
    this.busy = Array.from({ length: options.executors }, () => false);
    this.up = Array.from({ length: options.executors }, () => true);
  }

  /**
   * Queues one item; rejects at once with QueueFullError when the queue is
   * full, or ExecutorUnavailableError when no executor has been available
   * for maxUnavailableMs.
   */
  submit(item: I): Promise<O> {
    if (this.closed) return Promise.reject(new BatcherClosedError());
    const outageMs = this.outageSince === null ? 0 : performance.now() - this.outageSince;
    if (this.outageSince !== null && outageMs >= this.maxUnavailableMs) return Promise.reject(new ExecutorUnavailableError(outageMs));
    if (this.queue.length >= this.options.maxQueue) return Promise.reject(new QueueFullError(this.options.maxQueue));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, enqueuedAt: performance.now(), resolve, reject });
      this.pump();
    });
  }

  /**
   * Takes `executor` out of rotation (false) or puts it back (true). A batch
   * already running on it still settles; nothing new is sent to it until it
   * is back, and then it takes waiting items at once.
   */
  setAvailable(executor: number, available: boolean): void {
    if (executor < 0 || executor >= this.up.length) throw new RangeError(`no executor ${executor}`);
    this.up[executor] = available;
    if (available) {
      this.outageSince = null;
      if (this.outageTimer) clearTimeout(this.outageTimer);
      this.outageTimer = null;
    } else if (this.outageSince === null && !this.up.includes(true)) {
      this.outageSince = performance.now();
    }
    this.pump();
  }

  /** Free places in the queue right now. */
  get available(): number {
    return this.options.maxQueue - this.queue.length;
  }

  stats(): BatcherStats {
    return { queued: this.queue.length, running: this.busy.filter(Boolean).length, ...this.counters, batchSizes: { ...this.counters.batchSizes } };
  }

  /** Fails everything still waiting; running batches finish. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.outageTimer) clearTimeout(this.outageTimer);
    this.timer = null;
    this.outageTimer = null;
    for (const waiting of this.queue.splice(0)) waiting.reject(new BatcherClosedError());
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const executor = this.busy.findIndex((busy, i) => !busy && this.up[i]);
      if (executor === -1) {
        // A finishing batch or an executor coming back calls pump() again;
        // with none available, the wait is bounded by the outage timer.
        if (this.outageSince !== null) this.failWaitingAfterOutage(this.outageSince);
        return;
      }
      const waited = performance.now() - this.queue[0]!.enqueuedAt;
      const anyRunning = this.busy.includes(true);
      if (anyRunning && this.queue.length < this.options.maxBatch && waited < this.options.maxDelayMs) {
        this.schedule(this.options.maxDelayMs - waited);
        return;
      }
      this.dispatch(executor, this.queue.splice(0, this.options.maxBatch));
    }
  }

  /** Fails everything waiting once the outage that began at `since` is maxUnavailableMs old. */
  private failWaitingAfterOutage(since: number): void {
    if (this.outageTimer) return;
    this.outageTimer = setTimeout(() => {
      this.outageTimer = null;
      const error = new ExecutorUnavailableError(performance.now() - since);
      for (const waiting of this.queue.splice(0)) waiting.reject(error);
    }, Math.max(0, since + this.maxUnavailableMs - performance.now()));
  }

  private schedule(delayMs: number): void {
    const due = performance.now() + delayMs;
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, Math.max(0, delayMs));
  }

  private dispatch(executor: number, batch: Waiting<I, O>[]): void {
    this.busy[executor] = true;
    this.counters.batches += 1;
    this.counters.items += batch.length;
    this.counters.batchSizes[batch.length] = (this.counters.batchSizes[batch.length] ?? 0) + 1;
    const settle = (results: (O | Error)[] | Error) => {
      batch.forEach((waiting, i) => {
        const result = results instanceof Error ? results : results[i];
        if (result === undefined) waiting.reject(new Error(`the executor returned ${Array.isArray(results) ? results.length : 0} results for ${batch.length} items`));
        else if (result instanceof Error) waiting.reject(result);
        else waiting.resolve(result);
      });
      this.busy[executor] = false;
      this.pump();
    };
    let running: Promise<(O | Error)[]>;
    try {
      running = this.options.run(executor, batch.map((w) => w.item));
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(settle, (error: unknown) => settle(error instanceof Error ? error : new Error(String(error))));
  }
}
