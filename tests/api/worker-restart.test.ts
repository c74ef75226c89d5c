/**
 * A crashed inference worker is replaced (issue #5), for real: real worker
 * threads with the real model, crashed by WorkerPool.simulateCrash (the
 * thread throws an uncaught error and dies). The batch in flight fails,
 * requests made meanwhile wait for the replacement, health says so, and a
 * replacement that cannot start is retried with a growing delay.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { env } from '~/lib/env';
import { decodeImage } from '~/lib/ml/image';
import { isClassifierRestarting } from '~/lib/serving/error-guards';
import { InferenceService } from '~/lib/serving/inference-service';
import { abandonedWorkerCount, WorkerExitedError, WorkerPool, restartDelayMs } from '~/lib/serving/worker-pool';
import { readSample } from '../fixtures/images';
import { until } from './helpers';
import { serviceOptions as base } from './service-options';

/** Private copies of the model, a named pipe: files the tests break or block under a running pool. */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'petlens-worker-restart-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A sample photo as the committed model's input pixels, for WorkerPool.run. */
async function modelPixels(kind: 'cat' | 'dog'): Promise<Uint8Array> {
  const card = JSON.parse(await readFile(env.MODEL_CARD_PATH, 'utf8')) as { input: { shape: [string, number, number, number] } };
  return (await decodeImage(await readSample(kind), { size: card.input.shape[1], maxPixels: env.MAX_IMAGE_PIXELS })).pixels;
}

let logged: string[];
beforeEach(() => {
  logged = [];
  jest.spyOn(console, 'error').mockImplementation((line: unknown) => void logged.push(String(line)));
});
afterEach(() => jest.restoreAllMocks());

it('restart backoff: at once after a crash, then 0.5 s doubling, at most 30 s', () => {
  expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => restartDelayMs(attempt))).toEqual([0, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  expect(restartDelayMs(3, { initialMs: 100, maxMs: 250 })).toBe(250);
});

it('the only worker crashes with a batch in flight: that batch fails, a request made meanwhile waits for the replacement, health shows it', async () => {
  const service = await InferenceService.start(base);
  try {
    const dog = await readSample('dog');
    await expect(service.classify(dog)).resolves.toMatchObject({ label: 'dog' });
    expect(service.health()).toMatchObject({ workers: 1, readyWorkers: 1, workerRestarts: 0 });

    // The crash message goes first; the batch sent right behind it (an idle
    // pool sends a lone item at once) is in flight when the worker dies on it.
    const pixels = (await service.decode(dog)).pixels;
    const crashed = service.simulateWorkerCrash(0);
    const inFlight = service.classifyPixels(pixels);
    expect(service.health().batches.running).toBe(1);
    await crashed;
    await expect(inFlight).rejects.toThrow(/^inference worker exited with code 1 after an uncaught error: crash requested by the pool/);
    await expect(inFlight).rejects.toBeInstanceOf(Error);
    // What the API and the upload action answer it with: "restarting, retry in a few seconds" (503), not an unexpected error.
    expect(isClassifierRestarting(await inFlight.catch((error: unknown) => error))).toBe(true);
    // In between: nothing ready; a new request waits in the batcher instead of failing or hanging.
    expect(service.health()).toMatchObject({ readyWorkers: 0, workerRestarts: 0, batches: { running: 0 } });
    const meanwhile = service.classify(await readSample('cat'));

    await until('the replacement is ready', () => service.health().readyWorkers === 1);
    await expect(meanwhile).resolves.toMatchObject({ label: 'cat' });
    expect(service.health()).toMatchObject({ readyWorkers: 1, workerRestarts: 1 });
    await expect(service.classify(dog)).resolves.toMatchObject({ label: 'dog' });
    expect(logged).toEqual([
      expect.stringMatching(/^\[petlens\] inference worker 0 crashed after \d+\.\d s \(inference worker exited with code 1 after an uncaught error: .*\); restarting now$/),
      expect.stringMatching(/^\[petlens\] inference worker 0 restarted in \d+ ms \(attempt 1; 1 restart\(s\) since start\)$/),
    ]);
  } finally {
    await service.close();
  }
});

describe('a replacement that cannot start', () => {

  it('is retried after growing delays (capped), fails requests at once meanwhile, and serves once it starts', async () => {
    // A private copy of the model, so it can break under the running pool.
    const card = JSON.parse(await readFile(env.MODEL_CARD_PATH, 'utf8')) as { file: string };
    const cardPath = path.join(dir, 'card.json');
    const modelPath = path.join(dir, card.file);
    await copyFile(env.MODEL_CARD_PATH, cardPath);
    await copyFile(path.join(path.dirname(env.MODEL_CARD_PATH), card.file), modelPath);
    const model = await readFile(modelPath);

    const pixels = await modelPixels('dog');
    const events: [number, boolean][] = [];
    const lines: { at: number; line: string }[] = [];
    const pool = await WorkerPool.start({
      cardPath,
      device: 'cpu',
      workers: 1,
      intraOpThreads: 1,
      imageBytes: pixels.byteLength,
      restartBackoff: { initialMs: 100, maxMs: 400 },
      log: (line) => lines.push({ at: performance.now(), line }),
    });
    pool.onWorkerStateChange((index, ready) => events.push([index, ready]));
    try {
      await writeFile(modelPath, model.subarray(0, model.length - 1000)); // the sha256 check now refuses it
      await pool.simulateCrash(0);
      const failures = () => lines.filter((l) => l.line.includes('failed to restart'));
      await until('four failed restarts', () => failures().length >= 4);

      // While down, a request to the slot fails at once: never posted to the dead thread and left hanging.
      await expect(pool.run(0, [pixels])).rejects.toBeInstanceOf(WorkerExitedError);
      expect(pool.readyWorkers).toBe(0);
      expect(lines[0]!.line).toMatch(/inference worker 0 crashed .*; restarting now$/);
      const delays = failures().map((l) => Number(/next attempt in (\d+) ms$/.exec(l.line)?.[1]));
      expect(delays.slice(0, 4)).toEqual([100, 200, 400, 400]);
      expect(failures()[0]!.line).toMatch(/attempt 1: .*corrupt or not the one its card describes/);
      // Each attempt starts no earlier than the delay the previous failure announced.
      for (let i = 1; i < 4; i++) expect(failures()[i]!.at - failures()[i - 1]!.at).toBeGreaterThanOrEqual(delays[i - 1]! - 2);

      await writeFile(modelPath, model);
      await until('the replacement is ready', () => pool.readyWorkers === 1);
      expect(lines.at(-1)!.line).toMatch(/inference worker 0 restarted in \d+ ms \(attempt \d+; 1 restart\(s\) since start\)$/);
      expect(pool.restarts).toBe(1);
      expect(events).toEqual([
        [0, false],
        [0, true],
      ]);
      const [prediction] = await pool.run(0, [pixels]);
      expect(prediction).toMatchObject({ label: 'dog' });
    } finally {
      await pool.close();
    }
  });
});

describe('a worker that never gets ready', () => {

  it('fails the start after the start timeout, rather than holding up the server start forever', async () => {
    // A named pipe as the model card: reading it waits for a writer, so the worker hangs while loading the model,
    // as one stuck in a GPU driver's setup would.
    const cardPath = path.join(dir, 'stuck-card.json');
    execFileSync('mkfifo', [cardPath]);
    const t0 = performance.now();
    await expect(WorkerPool.start({ cardPath, device: 'cpu', workers: 1, intraOpThreads: 1, imageBytes: 3, startTimeoutMs: 400 })).rejects.toThrow(
      /^inference worker was not ready after 0\.4 s \(loading and warming up the model on cpu\); given up$/,
    );
    expect(performance.now() - t0).toBeGreaterThanOrEqual(395);
    expect(performance.now() - t0).toBeLessThan(10_000);
    // While it is stuck, no other start is tried: each would leave one more thread behind.
    expect(abandonedWorkerCount()).toBe(1);
    const healthy = { cardPath: env.MODEL_CARD_PATH, device: 'cpu', workers: 1, intraOpThreads: 1, imageBytes: 3 } as const;
    await expect(WorkerPool.start(healthy)).rejects.toThrow(/^an earlier inference worker is still stuck \(in loading the model or in a batch\)/);
    // The stuck load ends (the pipe gives an empty card, which the worker reports as a failed start); the pool
    // then ends the thread, and starts are possible again.
    const writer = await open(cardPath, 'w');
    await writer.close();
    await until('the stuck worker has ended', () => abandonedWorkerCount() === 0);
    await (await WorkerPool.start(healthy)).close();
  });
});

describe('a worker stuck in a batch', () => {
  it('is taken out of service at the batch deadline (its batch fails as restarting), and replaced once its thread returns', async () => {
    const pixels = await modelPixels('dog');
    const lines: string[] = [];
    const events: [number, boolean][] = [];
    const pool = await WorkerPool.start({
      cardPath: env.MODEL_CARD_PATH,
      device: 'cpu',
      workers: 1,
      intraOpThreads: 1,
      imageBytes: pixels.byteLength,
      batchTimeoutMs: 300,
      restartBackoff: { initialMs: 100, maxMs: 400 },
      log: (line) => lines.push(line),
    });
    pool.onWorkerStateChange((index, ready) => events.push([index, ready]));
    try {
      // The thread blocks for 3 s, as inside a native call that does not return; the batch queues behind it.
      pool.simulateStall(0, 3000);
      const t0 = performance.now();
      const stuck = pool.run(0, [pixels]);
      await expect(stuck).rejects.toThrow(/^inference worker did not answer a batch within 0\.3 s; taken out of service$/);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(295);
      // Failed before the stall ended (not by its end, 3 s on, which a bound on the clock would tell only by 100 ms on
      // a busy machine): the thread is still counted as stuck below.
      // What the API and the upload action answer it with: restarting, retry soon (503).
      expect(isClassifierRestarting(await stuck.catch((error: unknown) => error))).toBe(true);
      expect([pool.readyWorkers, abandonedWorkerCount()]).toEqual([0, 1]);
      await expect(pool.run(0, [pixels])).rejects.toBeInstanceOf(WorkerExitedError);

      // The stall ends, the thread answers a batch nobody waits for and is ended; only then does a replacement start.
      await until('the stuck thread has ended', () => abandonedWorkerCount() === 0);
      await until('the replacement is ready', () => pool.readyWorkers === 1);
      expect(events).toEqual([
        [0, false],
        [0, true],
      ]);
      expect(lines[0]).toMatch(/^\[petlens\] inference worker 0 crashed after \d+\.\d s \(inference worker did not answer a batch within 0\.3 s; taken out of service\); restarting now$/);
      // Not a failed attempt with a growing delay: the replacement starts as soon as the stuck thread has ended.
      expect(lines.slice(1)).toEqual([
        '[petlens] inference worker 0 waits to restart until a stuck inference worker has ended',
        expect.stringMatching(/^\[petlens\] inference worker 0 restarted in \d+ ms \(attempt 1; 1 restart\(s\) since start\)$/),
      ]);
      const [prediction] = await pool.run(0, [pixels]);
      expect(prediction).toMatchObject({ label: 'dog' });
    } finally {
      await pool.close();
      // A stuck thread left running would refuse the next test's workers.
      await until('no worker is stuck', () => abandonedWorkerCount() === 0);
    }
  });

  it('a pool closed while a batch is stuck leaves the stuck thread to end by itself (terminating it could abort the process)', async () => {
    const pixels = await modelPixels('cat');
    const pool = await WorkerPool.start({ cardPath: env.MODEL_CARD_PATH, device: 'cpu', workers: 1, intraOpThreads: 1, imageBytes: pixels.byteLength, batchTimeoutMs: 300, log: () => undefined });
    pool.simulateStall(0, 1500);
    const stuck = pool.run(0, [pixels]);
    // close() waits for the batch in flight; the deadline ends that wait, and the thread must not be terminated then:
    // inside onnxruntime that aborts the whole process. (The stall's Atomics.wait would just end, so the count shows it.)
    await Promise.all([pool.close(), expect(stuck).rejects.toThrow(/did not answer a batch within 0\.3 s/)]);
    expect(abandonedWorkerCount()).toBe(1);
    await until('the stuck thread has ended', () => abandonedWorkerCount() === 0);
  });
});

describe('GET /api/v1/health while workers are replaced', () => {
  it('degraded (200) with one of two down, unavailable (503) with none, ok again after', async () => {
    const saved = { workers: process.env.INFERENCE_WORKERS, threads: process.env.INFERENCE_THREADS };
    process.env.INFERENCE_WORKERS = '2';
    process.env.INFERENCE_THREADS = '1';
    let GET: () => Promise<Response> = async () => new Response();
    let serviceModule: { getInferenceService: () => Promise<InferenceService>; disposeInferenceService: () => Promise<void> } | undefined;
    let db: { disconnectDb: () => Promise<void> } | undefined;
    // Fresh modules, so lib/env reads INFERENCE_WORKERS=2.
    jest.isolateModules(() => {
      ({ GET } = require('~/app/api/v1/health/route') as { GET: () => Promise<Response> });
      serviceModule = require('~/lib/server/inference') as typeof serviceModule;
      db = require('~/lib/server/db') as { disconnectDb: () => Promise<void> };
    });
    const read = async () => {
      const response = await GET();
      const body = (await response.json()) as { status: string; model: { error: string | null; workers: number; workersReady: number; workerRestarts: number } };
      return { code: response.status, status: body.status, model: body.model };
    };
    try {
      expect(await read()).toMatchObject({ code: 200, status: 'ok', model: { workers: 2, workersReady: 2, workerRestarts: 0, error: null } });
      const service = await serviceModule!.getInferenceService();
      // A replacement takes a few hundred ms to load the model: the checks below run well within it.
      await service.simulateWorkerCrash(0);
      expect(await read()).toMatchObject({ code: 200, status: 'degraded', model: { workers: 2, workersReady: 1 } });
      await service.simulateWorkerCrash(1);
      expect(await read()).toMatchObject({ code: 503, status: 'unavailable', model: { workersReady: 0, error: expect.stringMatching(/no inference worker is ready/) } });

      await until('health is ok again', async () => (await read()).status === 'ok');
      expect(await read()).toMatchObject({ code: 200, model: { workers: 2, workersReady: 2, workerRestarts: 2, error: null } });
    } finally {
      await serviceModule?.disposeInferenceService();
      await db?.disconnectDb();
      for (const [key, value] of [['INFERENCE_WORKERS', saved.workers], ['INFERENCE_THREADS', saved.threads]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
