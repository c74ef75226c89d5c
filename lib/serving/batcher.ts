/**
 * @file Micro-batching with a bounded queue. Concurrent requests each submit
 * one item; the batcher groups waiting items into batches of at most
 * `maxBatch`. An idle pool sends an item at once: waiting for companions
 * would only add latency to a lone request. While a batch runs, items gather;
 * a free executor takes them as soon as `maxBatch` are waiting or the oldest
 * has waited `maxDelayMs`, and an executor that finishes takes whatever
 * gathered during its run. So batches grow exactly when the load does.
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
  private timer: NodeJS.Timeout | null = null;
  private timerDue = 0;
  private closed = false;
  private readonly counters = { batches: 0, items: 0, batchSizes: {} as Record<number, number> };

  constructor(private readonly options: BatcherOptions<I, O>) {
    if (options.executors < 1 || options.maxBatch < 1 || options.maxQueue < 1 || options.maxDelayMs < 0) {
      throw new RangeError('executors, maxBatch and maxQueue must be >= 1 and maxDelayMs >= 0');
    }
    this.busy = Array.from({ length: options.executors }, () => false);
  }

  /** Queues one item; rejects at once with QueueFullError when the queue is full. */
  submit(item: I): Promise<O> {
    if (this.closed) return Promise.reject(new BatcherClosedError());
    if (this.queue.length >= this.options.maxQueue) return Promise.reject(new QueueFullError(this.options.maxQueue));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, enqueuedAt: performance.now(), resolve, reject });
      this.pump();
    });
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
    this.timer = null;
    for (const waiting of this.queue.splice(0)) waiting.reject(new BatcherClosedError());
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const executor = this.busy.indexOf(false);
      if (executor === -1) return; // a finishing batch calls pump() again
      const waited = performance.now() - this.queue[0]!.enqueuedAt;
      const anyRunning = this.busy.includes(true);
      if (anyRunning && this.queue.length < this.options.maxBatch && waited < this.options.maxDelayMs) {
        this.schedule(this.options.maxDelayMs - waited);
        return;
      }
      this.dispatch(executor, this.queue.splice(0, this.options.maxBatch));
    }
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
