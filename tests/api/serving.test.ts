/**
 * The inference service for real: worker threads with the real model, the
 * micro-batcher in front of them, device selection reported through the
 * pool, and isolation of a bad image inside a batch.
 */
import { InferenceService, defaultThreads } from '~/lib/serving/inference-service';
import { WorkerPool } from '~/lib/serving/worker-pool';
import { readPhotos, until, type Kind } from './helpers';
import { serviceOptions as base } from './service-options';
import { cudaExpected, itWithoutCuda } from '../support/cuda';

let photos: Record<Kind, Buffer>;
beforeAll(async () => {
  photos = await readPhotos();
});

it('sizes workers and intra-op threads from the machine', () => {
  expect(defaultThreads(1)).toEqual({ workers: 1, intraOpThreads: 1 });
  expect(defaultThreads(2)).toEqual({ workers: 1, intraOpThreads: 2 });
  expect(defaultThreads(3)).toEqual({ workers: 1, intraOpThreads: 2 });
  expect(defaultThreads(8)).toEqual({ workers: 4, intraOpThreads: 2 });
  expect(defaultThreads(32)).toEqual({ workers: 16, intraOpThreads: 2 });
});

it('sizes one worker for cuda: each worker is a CUDA context of its own, and one GPU runs them in turn', () => {
  expect(defaultThreads(16, 'cuda')).toEqual({ workers: 1, intraOpThreads: 2 });
  expect(defaultThreads(16, 'cpu')).toEqual({ workers: 8, intraOpThreads: 2 });
});

it('with auto, the first worker settles the provider: the count follows it, the others and replacements start on it (never on auto again), and the reason stays reported', async () => {
  const expected = cudaExpected() ? 'cuda' : 'cpu';
  const asked: string[] = [];
  const pool = await WorkerPool.start({
    cardPath: base.cardPath,
    device: 'auto',
    workers: (provider) => {
      asked.push(provider);
      return 2;
    },
    intraOpThreads: 1,
    imageBytes: 3, // no image is classified here
    log: () => {},
  });
  try {
    expect(asked).toEqual([expected]);
    expect(pool.size).toBe(2);
    const reason = pool.fallbackReason;
    expect([pool.executionProvider, reason]).toEqual([expected, expected === 'cpu' ? expect.any(String) : null]);
    expect(pool.workerDevice).toBe(expected);
    await pool.simulateCrash(0);
    await until('worker 0 replaced', () => pool.readyWorkers === 2);
    expect([pool.restarts, pool.executionProvider, pool.fallbackReason]).toEqual([1, expected, reason]);
  } finally {
    await pool.close();
  }
});

it('refuses a worker count that is not a whole number of at least 1, given or asked for', async () => {
  const options = { cardPath: base.cardPath, intraOpThreads: 1, imageBytes: 3 };
  await expect(WorkerPool.start({ ...options, device: 'cpu', workers: 0 })).rejects.toThrow(RangeError);
  await expect(WorkerPool.start({ ...options, device: 'auto', workers: () => 1.5 })).rejects.toThrow(/whole number of workers, at least 1, not 1.5/);
});

itWithoutCuda('auto on a machine without CUDA serves on CPU and reports why; cuda refuses to start', async () => {
  const service = await InferenceService.start({ ...base, device: 'auto' });
  try {
    expect(service.executionProvider).toBe('cpu');
    expect(service.fallbackReason).toEqual(expect.any(String));
    expect(service.health()).toMatchObject({ executionProvider: 'cpu', fallbackReason: service.fallbackReason, workers: 1 });
  } finally {
    await service.close();
  }
  await expect(InferenceService.start({ ...base, device: 'cuda' })).rejects.toThrow(/the device is cuda, not auto, so there is no falling back to the CPU/);
});

it('batches concurrent images on two workers and answers each in order', async () => {
  const service = await InferenceService.start({ ...base, workers: 2 });
  try {
    const kinds: Kind[] = ['cat', 'dog', 'neither', 'cat', 'dog', 'neither', 'dog', 'cat', 'neither', 'cat'];
    // Decoded first and sent in one tick: sent as files, each would reach the batcher when its decode ends, and on a
    // busy machine those ends can lie further apart than the batch delay, so that nothing shares a batch.
    const pixels = await Promise.all(kinds.map(async (kind) => (await service.decode(photos[kind])).pixels));
    const results = await Promise.all(pixels.map((input) => service.classifyPixels(input)));
    expect(results.map((r) => r.label)).toEqual(kinds);
    const { batches } = service.health();
    expect(batches.items).toBe(kinds.length);
    // Concurrent images share batches: fewer batches than images.
    expect(batches.batches).toBeLessThan(kinds.length);
    expect(Math.max(...Object.keys(batches.batchSizes).map(Number))).toBeGreaterThan(1);
  } finally {
    await service.close();
  }
});

it('an image alone in an idle service runs on the spinning session (two threads, CPU); images under load, and one-thread workers, never do', async () => {
  const service = await InferenceService.start({ ...base, intraOpThreads: 2 });
  try {
    const alone = service.tryAdmit(1)!;
    const first = await service.classify(photos.dog);
    alone.release();
    expect(service.health()).toMatchObject({ spinsForLoneImages: true, loneImageRuns: 1 });
    // Another image admitted beside it (a second request still decoding): the sleeping session, the same answer.
    const two = service.tryAdmit(2)!;
    const second = await service.classify(photos.dog);
    two.release();
    expect(service.health().loneImageRuns).toBe(1);
    expect(second.label).toBe('dog');
    for (const label of ['cat', 'dog', 'neither'] as const) expect(second.probabilities[label]).toBeCloseTo(first.probabilities[label], 5);
    // Concurrent images share batches, none of them alone; nor is an image sent without a ticket, which says nothing
    // of what else is around.
    const tickets = service.tryAdmit(4)!;
    await Promise.all(['cat', 'dog', 'neither', 'cat'].map((kind) => service.classify(photos[kind as Kind])));
    tickets.release();
    await service.classifyPixels((await service.decode(photos.cat)).pixels);
    expect(service.health().loneImageRuns).toBe(1);
  } finally {
    await service.close();
  }
  const oneThread = await InferenceService.start(base);
  try {
    await oneThread.classify(photos.cat);
    expect(oneThread.health()).toMatchObject({ spinsForLoneImages: false, loneImageRuns: 0 });
  } finally {
    await oneThread.close();
  }
});

it('one bad input in a batch fails alone; the others in the same batch are answered', async () => {
  const service = await InferenceService.start(base);
  const pool = await WorkerPool.start({ cardPath: base.cardPath, device: 'cpu', workers: 1, intraOpThreads: 1, imageBytes: service.inputSize ** 2 * 3 });
  try {
    const good = (await service.decode(photos.dog)).pixels;
    const results = await pool.run(0, [good, new Uint8Array(10), good]);
    expect(results[1]).toBeInstanceOf(Error);
    expect(results.filter((r) => !(r instanceof Error)).map((r) => !(r instanceof Error) && r.label)).toEqual(['dog', 'dog']);
    // Through the batcher: the bad one rejects, its batch-mates resolve.
    const settled = await Promise.allSettled([service.classifyPixels(good), service.classifyPixels(new Uint8Array(3)), service.classifyPixels(good)]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  } finally {
    await pool.close();
    await service.close();
  }
});

it('closing waits for the batch a worker is running (terminating it mid-run would abort the whole process)', async () => {
  const service = await InferenceService.start(base);
  const pool = await WorkerPool.start({ cardPath: base.cardPath, device: 'cpu', workers: 1, intraOpThreads: 1, imageBytes: service.inputSize ** 2 * 3 });
  try {
    const good = (await service.decode(photos.cat)).pixels;
    // 32 images: a few hundred ms inside session.run when close() is called.
    const running = pool.run(0, Array.from({ length: 32 }, () => good));
    await pool.close();
    const results = await running;
    expect(results.map((r) => !(r instanceof Error) && r.label)).toEqual(Array.from({ length: 32 }, () => 'cat'));
  } finally {
    await service.close();
  }
});
