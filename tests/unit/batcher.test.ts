/**
 * The micro-batcher's orchestration with a fake executor (the real worker
 * pool is exercised in tests/api/serving.test.ts).
 */
import { BatcherClosedError, ExecutorUnavailableError, MicroBatcher, QueueFullError, type BatcherOptions } from '~/lib/serving/batcher';

interface Call {
  executor: number;
  items: number[];
  finish(): void;
}

/** An executor that records each batch and finishes it when told to. */
function recordingBatcher(options: Partial<BatcherOptions<number, string>> = {}) {
  const calls: Call[] = [];
  const batcher = new MicroBatcher<number, string>({
    executors: 1,
    maxBatch: 4,
    maxDelayMs: 5,
    maxQueue: 100,
    run: (executor, items) =>
      new Promise((resolve) => {
        calls.push({ executor, items, finish: () => resolve(items.map((n) => (n < 0 ? new Error(`bad ${n}`) : `r${n}`))) });
      }),
    ...options,
  });
  return { batcher, calls };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MicroBatcher', () => {
  it('an idle pool sends a lone item at once, without waiting for companions', async () => {
    const { batcher, calls } = recordingBatcher({ maxDelayMs: 10_000 });
    const result = batcher.submit(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.items).toEqual([1]);
    calls[0]!.finish();
    await expect(result).resolves.toBe('r1');
    batcher.close();
  });

  it('while a batch runs, a free executor sends a full batch at once', async () => {
    const { batcher, calls } = recordingBatcher({ executors: 2, maxDelayMs: 10_000 });
    const first = batcher.submit(0); // executor 0, at once
    const results = [1, 2, 3, 4].map((n) => batcher.submit(n));
    expect(calls.map((c) => c.items)).toEqual([[0], [1, 2, 3, 4]]);
    calls.forEach((c) => c.finish());
    await expect(Promise.all([first, ...results])).resolves.toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    batcher.close();
  });

  it('while a batch runs, a free executor flushes a partial batch once the oldest item has waited maxDelayMs', async () => {
    const { batcher, calls } = recordingBatcher({ executors: 2, maxDelayMs: 20 });
    const busy = batcher.submit(6);
    const first = batcher.submit(7);
    const second = batcher.submit(8);
    await tick(5);
    expect(calls).toHaveLength(1);
    await tick(40);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.items).toEqual([7, 8]);
    calls.forEach((c) => c.finish());
    await expect(Promise.all([busy, first, second])).resolves.toEqual(['r6', 'r7', 'r8']);
    batcher.close();
  });

  it('keeps order within and across batches, and gathers items while the executor is busy', async () => {
    const { batcher, calls } = recordingBatcher({ maxBatch: 3, maxDelayMs: 0 });
    const results = Array.from({ length: 7 }, (_, n) => batcher.submit(n));
    // delay 0: the first item goes alone; the rest wait for the busy executor.
    expect(calls.map((c) => c.items)).toEqual([[0]]);
    calls[0]!.finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[0], [1, 2, 3]]);
    calls[1]!.finish();
    await tick();
    calls[2]!.finish();
    await expect(Promise.all(results)).resolves.toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(calls.map((c) => c.items)).toEqual([[0], [1, 2, 3], [4, 5, 6]]);
    expect(batcher.stats()).toMatchObject({ batches: 3, items: 7, batchSizes: { 1: 1, 3: 2 } });
    batcher.close();
  });

  it('fails only the item whose result is an error', async () => {
    const { batcher, calls } = recordingBatcher({ maxBatch: 3 });
    const results = [4, 5, -1, 6].map((n) => batcher.submit(n));
    calls[0]!.finish(); // [4] went alone; [5, -1, 6] gathered behind it
    await tick();
    expect(calls[1]!.items).toEqual([5, -1, 6]);
    calls[1]!.finish();
    const settled = await Promise.allSettled(results.slice(1));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(settled[1]).toMatchObject({ reason: new Error('bad -1') });
    batcher.close();
  });

  it('fails the whole batch when the executor throws, and keeps serving', async () => {
    let fail = true;
    const batcher = new MicroBatcher<number, number>({
      executors: 1,
      maxBatch: 2,
      maxDelayMs: 0,
      maxQueue: 10,
      run: async (_executor, items) => {
        if (fail) throw new Error('worker died');
        return items.map((n) => n * 10);
      },
    });
    await expect(batcher.submit(1)).rejects.toThrow('worker died');
    fail = false;
    await expect(batcher.submit(2)).resolves.toBe(20);
    batcher.close();
  });

  it('spreads batches over several executors', async () => {
    const { batcher, calls } = recordingBatcher({ executors: 2, maxBatch: 2, maxDelayMs: 0 });
    const results = [1, 2, 3].map((n) => batcher.submit(n));
    expect(calls.map((c) => [c.executor, c.items])).toEqual([
      [0, [1]],
      [1, [2]],
    ]);
    calls[0]!.finish();
    await tick();
    expect(calls[2]).toMatchObject({ executor: 0, items: [3] });
    calls[1]!.finish();
    calls[2]!.finish();
    await expect(Promise.all(results)).resolves.toEqual(['r1', 'r2', 'r3']);
    batcher.close();
  });

  it('refuses items beyond maxQueue at once (backpressure), and accepts again once drained', async () => {
    const { batcher, calls } = recordingBatcher({ maxBatch: 1, maxDelayMs: 0, maxQueue: 2 });
    const running = batcher.submit(1); // dispatched: not in the queue
    const queued = [batcher.submit(2), batcher.submit(3)];
    expect(batcher.available).toBe(0);
    await expect(batcher.submit(4)).rejects.toBeInstanceOf(QueueFullError);
    for (let i = 0; i < 3; i++) {
      calls[i]!.finish();
      await tick();
    }
    await expect(Promise.all([running, ...queued])).resolves.toEqual(['r1', 'r2', 'r3']);
    expect(batcher.available).toBe(2);
    batcher.close();
  });

  it('batching off (maxBatch 1) sends every item alone', async () => {
    const { batcher, calls } = recordingBatcher({ executors: 4, maxBatch: 1, maxDelayMs: 0 });
    const results = [1, 2, 3].map((n) => batcher.submit(n));
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3]]);
    calls.forEach((c) => c.finish());
    await expect(Promise.all(results)).resolves.toEqual(['r1', 'r2', 'r3']);
    batcher.close();
  });

  it('close() rejects what is still waiting', async () => {
    const { batcher, calls } = recordingBatcher({ maxDelayMs: 10_000 });
    const running = batcher.submit(0);
    const waiting = batcher.submit(1);
    batcher.close();
    await expect(waiting).rejects.toBeInstanceOf(BatcherClosedError);
    await expect(batcher.submit(2)).rejects.toBeInstanceOf(BatcherClosedError);
    calls[0]!.finish(); // a running batch still finishes
    await expect(running).resolves.toBe('r0');
  });

  describe('executors out of rotation (a crashed worker being replaced)', () => {
    it('sends nothing to an executor that is down; the others keep serving', async () => {
      const { batcher, calls } = recordingBatcher({ executors: 2, maxBatch: 1, maxDelayMs: 0 });
      batcher.setAvailable(0, false);
      const results = [1, 2].map((n) => batcher.submit(n));
      expect(calls.map((c) => [c.executor, c.items])).toEqual([[1, [1]]]);
      calls[0]!.finish();
      await tick();
      expect(calls.map((c) => c.executor)).toEqual([1, 1]);
      calls[1]!.finish();
      await expect(Promise.all(results)).resolves.toEqual(['r1', 'r2']);
      batcher.close();
    });

    it('a batch running when its executor goes down settles, and the next one waits for it to come back', async () => {
      const { batcher, calls } = recordingBatcher({ maxBatch: 2, maxDelayMs: 0 });
      const running = batcher.submit(1);
      const waiting = [batcher.submit(2), batcher.submit(3)];
      batcher.setAvailable(0, false);
      calls[0]!.finish();
      await expect(running).resolves.toBe('r1');
      await tick(20);
      expect(calls).toHaveLength(1);
      expect(batcher.stats()).toMatchObject({ queued: 2, running: 0 });
      // Back in rotation: it takes what waited, at once.
      batcher.setAvailable(0, true);
      expect(calls.map((c) => c.items)).toEqual([[1], [2, 3]]);
      calls[1]!.finish();
      await expect(Promise.all(waiting)).resolves.toEqual(['r2', 'r3']);
      batcher.close();
    });

    it('with none available, items wait until the outage is maxUnavailableMs old, then fail; submit fails at once until one is back', async () => {
      const { batcher, calls } = recordingBatcher({ executors: 2, maxUnavailableMs: 40 });
      batcher.setAvailable(0, false);
      batcher.setAvailable(1, false);
      const early = batcher.submit(1);
      await tick(20);
      const late = batcher.submit(2);
      let lateSettled = false;
      late.catch(() => (lateSettled = true));
      await expect(early).rejects.toBeInstanceOf(ExecutorUnavailableError);
      await tick();
      // Bounded by the outage, not by each item's own wait: both fail together.
      expect(lateSettled).toBe(true);
      await expect(late).rejects.toThrow(/no executor has been available for \d+ ms/);
      await expect(batcher.submit(3)).rejects.toBeInstanceOf(ExecutorUnavailableError);
      expect(batcher.stats().queued).toBe(0);
      expect(calls).toHaveLength(0);
      batcher.setAvailable(1, true);
      const after = batcher.submit(4);
      expect(calls.map((c) => [c.executor, c.items])).toEqual([[1, [4]]]);
      calls[0]!.finish();
      await expect(after).resolves.toBe('r4');
      batcher.close();
    });

    it('an executor back within maxUnavailableMs serves what waited, and a later outage gets its own full wait', async () => {
      const { batcher, calls } = recordingBatcher({ maxUnavailableMs: 60 });
      batcher.setAvailable(0, false);
      const waited = batcher.submit(1);
      await tick(30);
      batcher.setAvailable(0, true);
      calls[0]!.finish();
      await expect(waited).resolves.toBe('r1');
      batcher.setAvailable(0, false);
      const second = batcher.submit(2);
      await tick(45); // past the first outage's deadline, not the second's: no stale timer fires
      batcher.setAvailable(0, true);
      calls[1]!.finish();
      await expect(second).resolves.toBe('r2');
      batcher.close();
    });

    it('close() during an outage rejects what waits with BatcherClosedError', async () => {
      const { batcher } = recordingBatcher({ maxUnavailableMs: 10_000 });
      batcher.setAvailable(0, false);
      const waiting = batcher.submit(1);
      batcher.close();
      await expect(waiting).rejects.toBeInstanceOf(BatcherClosedError);
    });
  });
});
