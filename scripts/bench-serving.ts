/**
 * npm run bench [-- --data DIR --seconds N --concurrency 1,8,32 --rounds 4 --json FILE --reference [--backbone FILE]]
 *
 * The serving benchmark of issue 5, in one run on this machine:
 *  (a) model-only images/s by batch size (one session, one intra-op thread);
 *  (b) preprocessing (sharp decode + resize + crop) of a 500x375 JPEG and a
 *      12-megapixel JPEG, alone and 4 at a time (libuv's thread pool);
 *  (c) POST /api/v1/predict against the production build, started like
 *      `npm start` (embedded PostgreSQL, scripts/serve.cjs), at each concurrency
 *      for N seconds with real 500x375 JPEGs from ../shared/data, with
 *      micro-batching on and off: two servers (INFERENCE_BATCHING on, off)
 *      run side by side, and each level's N seconds are split into --rounds
 *      slices measured in turn, on-off, off-on, ..., so that a machine that
 *      gets slower or faster during the run (shared machines do) weighs on
 *      both sides alike, not on whichever ran second. The idle server uses
 *      no CPU meanwhile. Anonymous rate limiting is off for the run.
 *      Each fresh server first gets --warmup-seconds of uncounted load at
 *      concurrency 8, so that what is measured is a server in service, not
 *      one still loading its route modules and compiling its hot code (the
 *      first seconds after a start are measurably slower);
 *      `--warmup-seconds 0` measures a cold server.
 *  (d) with --reference, the reference projects' serving architecture
 *      (scripts/reference-server: Flask + gunicorn with 2 sync workers +
 *      PyTorch, torchvision preprocessing at 224 px) as a third server in the
 *      same rotation, with the same photos and warm-up, and PetLens' speed-up
 *      over it: a ratio measured in one run holds whatever the machine's hour,
 *      where absolute figures on a shared machine do not.
 * The load generator runs in this process on the same machine, so it is kept
 * lean: node:http with keep-alive, request bodies built before the clock
 * starts. Loopback only. Prints a table and writes JSON (.bench/serving.json).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import sharp from 'sharp';
import { env } from '~/lib/env';
import { Classifier } from '~/lib/ml/classifier';
import { parseNonNegativeInt, parsePositiveInt } from './cli-options';
import { modelOnlyByBatch, twelveMegapixelJpeg } from './lib/model-bench';
import { multipartBody, type MultipartBody } from './lib/multipart-body';
import { startProductionServer, type ProductionServer } from './lib/production-server';
import { startReferenceServer } from './lib/reference-server';
import { measure, stats, type Stats } from './lib/stats';

const program = new Command('bench-serving')
  .option('--data <dir>', 'the shared data folder', path.join('..', 'shared', 'data'))
  .option('--seconds <n>', 'seconds per HTTP measurement', parsePositiveInt, 15)
  .option('--model-seconds <n>', 'seconds per model/preprocessing measurement', parsePositiveInt, 2)
  .option('--concurrency <list>', 'comma-separated concurrency levels', '1,8,32')
  .option('--warmup-seconds <n>', 'seconds of uncounted load on each fresh server before measuring', parseNonNegativeInt, 10)
  .option('--rounds <n>', 'slices per level and mode, taken on-off, off-on, ... (even: the order is mirrored every other round, so every mode has the same average place; 1: one after the other)', parseRounds, 4)
  .option('--reference', 'also measure the reference architecture (Flask + gunicorn + PyTorch) in the same rotation', false)
  .option('--backbone <file>', "the reference server's MobileNetV3-Small weights (default: $REFERENCE_BACKBONE, else serve.sh's: the ../shared ImageNet backbone)")
  .option('--json <file>', 'where to write the results', path.join('.bench', 'serving.json'))
  .parse();

interface Options {
  data: string;
  seconds: number;
  modelSeconds: number;
  concurrency: string;
  warmupSeconds: number;
  rounds: number;
  reference: boolean;
  backbone?: string;
  json: string;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));
/** A target's line: null when its level was not run. */
const verdict = (met: boolean | null) => (met === null ? 'n/a' : met ? 'met' : 'NOT met');
/** The mode name of the reference server (--reference). */
const REFERENCE = 'reference';

/** The run of `runs` at concurrency `c`, if it was measured. */
const at = (runs: readonly LoadResult[], c: number) => runs.find((r) => r.concurrency === c);

function parseRounds(value: string): number {
  const rounds = parsePositiveInt(value);
  if (rounds !== 1 && rounds % 2 !== 0) throw new InvalidArgumentError('must be 1 or even, so that every mode has the same average place in the order.');
  return rounds;
}

/** Real 500x375 JPEGs (the Oxford-IIIT-style breed photos), read once. */
async function realPhotos(dataDir: string, limit: number): Promise<Buffer[]> {
  const found: Buffer[] = [];
  for (const kind of ['cats', 'dogs']) {
    const dir = path.join(dataDir, 'pets', 'breeds', kind);
    for (const name of (await readdir(dir)).sort()) {
      const bytes = await readFile(path.join(dir, name));
      const meta = await sharp(bytes).metadata();
      if (meta.format === 'jpeg' && meta.width === 500 && meta.height === 375) found.push(bytes);
      if (found.length >= limit / 2 * (kind === 'cats' ? 1 : 2)) break;
    }
  }
  if (found.length === 0) throw new Error(`no 500x375 JPEG under ${dataDir}/pets/breeds`);
  return found;
}

// ---------------------------------------------------------------- (a) + (b)

async function benchModel(photos: Buffer[], seconds: number) {
  const classifier = await Classifier.load({ cardPath: env.MODEL_CARD_PATH, intraOpThreads: 1 });
  const big = await twelveMegapixelJpeg(photos[0]!);
  const decode500 = stats(await measure(seconds, (i) => classifier.decode(photos[i % photos.length]!)));
  const decode12mp = stats(await measure(seconds, () => classifier.decode(big)));
  // Throughput of preprocessing 4 at a time: sharp runs in libuv's thread pool, off the event loop.
  const parallelStart = performance.now();
  let decoded = 0;
  while (performance.now() - parallelStart < seconds * 1000) {
    await Promise.all(Array.from({ length: 4 }, (_, k) => classifier.decode(photos[(decoded + k) % photos.length]!)));
    decoded += 4;
  }
  const decode500PerSecond4 = round((decoded * 1000) / (performance.now() - parallelStart), 1);

  const pixels = (await classifier.decode(photos[0]!)).pixels;
  const modelOnly = await modelOnlyByBatch(classifier, pixels, seconds);
  await classifier.dispose();
  return {
    model: { name: classifier.card.name, version: classifier.card.version, executionProvider: classifier.executionProvider, inputSize: classifier.inputSize },
    preprocess: { jpeg500x375Ms: decode500, jpeg12MpMs: decode12mp, jpeg500x375PerSecondAt4: decode500PerSecond4 },
    modelOnly,
  };
}

// ---------------------------------------------------------------- (c)

/** The production build with batching on or off; anonymous rate limiting is off for the run. */
function startServer(batching: boolean, logFile: string): Promise<ProductionServer> {
  return startProductionServer({
    name: 'bench',
    host: '127.0.0.1',
    logFile,
    env: { API_ANON_RATE_LIMIT: '0', INFERENCE_BATCHING: batching ? 'on' : 'off' },
  });
}

interface LoadResult {
  concurrency: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: Stats;
  errors: number;
  statuses: Record<string, number>;
}

function post(agent: http.Agent, url: URL, body: MultipartBody): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': body.contentType, 'content-length': body.body.length } },
      (response) => {
        response.on('data', () => undefined);
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body.body);
  });
}

/** What one stretch of load saw: the raw latencies, so that slices of the same level can be pooled. */
interface LoadSample {
  seconds: number;
  latencies: number[];
  statuses: Record<string, number>;
}

/**
 * One stretch of load on fresh, warmed connections. Per slice, not per level: between two slices of a server the
 * other servers' slices run, and sockets left idle that long may be closed by the server's keep-alive timeout just as
 * they are reused, which would count as errors.
 */
async function load(url: URL, bodies: MultipartBody[], concurrency: number, seconds: number): Promise<LoadSample> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  // Warm-up: every connection once.
  await Promise.all(Array.from({ length: concurrency }, (_, i) => post(agent, url, bodies[i % bodies.length]!)));
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const body = bodies[next++ % bodies.length]!;
        const t0 = performance.now();
        let status: number;
        try {
          status = await post(agent, url, body);
        } catch {
          status = 0; // connection error
        }
        latencies.push(performance.now() - t0);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  agent.destroy();
  return { seconds: (performance.now() - start) / 1000, latencies, statuses };
}

/** Slices of one level pooled: requests over the time measured, percentiles over every request. */
function summarize(concurrency: number, slices: LoadSample[]): LoadResult {
  const seconds = slices.reduce((sum, slice) => sum + slice.seconds, 0);
  const latencies = slices.flatMap((slice) => slice.latencies);
  const statuses: Record<string, number> = {};
  for (const slice of slices) for (const [status, count] of Object.entries(slice.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
  const errors = Object.entries(statuses).reduce((n, [status, count]) => (status === '200' ? n : n + count), 0);
  return { concurrency, seconds: round(seconds, 2), requests: latencies.length, requestsPerSecond: round(latencies.length / seconds, 1), latencyMs: stats(latencies), errors, statuses };
}

async function serverInfo(baseUrl: string): Promise<unknown> {
  // The server's execution provider, workers and batching switch, as health reports them.
  const response = await fetch(`${baseUrl}/api/v1/health`);
  return ((await response.json()) as { model: unknown }).model;
}

/** A server in the rotation: how it is named, started, and described in the JSON. */
interface Mode {
  name: string;
  /** The benchmark step it belongs to (see the top of this file), and what its start line calls it. */
  step: 'c' | 'd';
  what: string;
  /** The suffix of its log file. */
  logName: string;
  start(logFile: string): Promise<{ url: URL; stop(): Promise<void> }>;
  /** Asked after the load, so that worker restarts during the measurement show. */
  describe(url: URL): Promise<unknown>;
}

function petlensMode(batching: boolean): Mode {
  return {
    name: batching ? 'batching on' : 'batching off',
    step: 'c',
    what: `the production build with batching ${batching ? 'on' : 'off'}`,
    logName: batching ? 'on' : 'off',
    start: async (logFile) => {
      const server = await startServer(batching, logFile);
      return { url: new URL('/api/v1/predict', server.baseUrl), stop: server.stop };
    },
    describe: (url) => serverInfo(url.origin),
  };
}

function referenceMode(backbone: string | undefined): Mode {
  return {
    name: REFERENCE,
    step: 'd',
    what: 'the reference server',
    logName: 'reference',
    start: async (logFile) => {
      const server = await startReferenceServer({ logFile, backbone });
      return { url: server.predictUrl, stop: server.stop };
    },
    describe: async () => ({ architecture: 'Flask + gunicorn (2 sync workers) + PyTorch, torchvision preprocessing, 224 px' }),
  };
}

async function main(): Promise<void> {
  const options = program.opts<Options>();
  const levels = options.concurrency.split(',').map((c) => parsePositiveInt(c.trim()));
  const photos = await realPhotos(options.data, 64);
  const machine = { cpus: os.availableParallelism(), model: os.cpus()[0]?.model, node: process.version };
  console.log(`${machine.cpus} CPUs (${machine.model}), Node ${machine.node}; ${photos.length} real 500x375 JPEGs from ${options.data}/pets/breeds`);

  const modelResults = await benchModel(photos, options.modelSeconds);
  console.log(`\n(a) model only, ${modelResults.model.name} ${modelResults.model.version} on ${modelResults.model.executionProvider}, 1 intra-op thread:`);
  for (const [batch, r] of Object.entries(modelResults.modelOnly)) {
    console.log(`  batch ${batch.padStart(2)}: ${String(r.imagesPerSecond).padStart(7)} images/s  (${r.msPerBatch.p50.toFixed(2)} ms per batch)`);
  }
  const pre = modelResults.preprocess;
  const side = modelResults.model.inputSize;
  console.log(`\n(b) preprocessing (decode + resize + crop to ${side}x${side} RGB), p50:`);
  console.log(`  500x375 JPEG ${pre.jpeg500x375Ms.p50.toFixed(2)} ms (p99 ${pre.jpeg500x375Ms.p99.toFixed(2)}), 4 at a time ${pre.jpeg500x375PerSecondAt4} images/s`);
  console.log(`  12 MP JPEG   ${pre.jpeg12MpMs.p50.toFixed(2)} ms (p99 ${pre.jpeg12MpMs.p99.toFixed(2)})`);

  // One body per photo, built before the clock starts.
  const bodies = photos.map((photo, i) => multipartBody([{ data: photo, filename: `p${i}.jpg` }]));
  await mkdir(path.dirname(options.json), { recursive: true });
  const modes: Mode[] = [petlensMode(true), petlensMode(false), ...(options.reference ? [referenceMode(options.backbone)] : [])];
  const servers: { url: URL; stop(): Promise<void> }[] = [];
  const serving: Record<string, { server: unknown; runs: LoadResult[] }> = {};
  let measured = false;
  try {
    // One after the other: a stale build is rebuilt by the first launcher only.
    for (const mode of modes) {
      const logFile = path.join(path.dirname(options.json), `serving-server-${mode.logName}.log`);
      console.log(`\n(${mode.step}) starting ${mode.what} (log: ${logFile}) …`);
      servers.push(await mode.start(logFile));
      if (options.warmupSeconds > 0) {
        const warmup = summarize(8, [await load(servers.at(-1)!.url, bodies, 8, options.warmupSeconds)]);
        console.log(`  warm-up, not counted: c=8 for ${warmup.seconds} s, ${warmup.requests} requests, p50 ${warmup.latencyMs.p50.toFixed(1)} ms, errors ${warmup.errors}`);
      }
      serving[mode.name] = { server: null, runs: [] };
    }
    const slice = options.seconds / options.rounds;
    const inTurn = modes.map((mode) => mode.name).join(', ');
    console.log(`\n(c) POST a photo: ${options.seconds} s per level and mode, in ${options.rounds} slices of ${round(slice, 1)} s taken in turn (${inTurn}, then the other way round, ...)`);
    for (const concurrency of levels) {
      const slices: LoadSample[][] = modes.map(() => []);
      for (let r = 0; r < options.rounds; r++) {
        const order = modes.map((_, m) => (r % 2 === 0 ? m : modes.length - 1 - m));
        for (const m of order) slices[m]!.push(await load(servers[m]!.url, bodies, concurrency, slice));
      }
      modes.forEach((mode, m) => {
        const result = summarize(concurrency, slices[m]!);
        serving[mode.name]!.runs.push(result);
        console.log(
          `  ${mode.name.padEnd(12)} c=${String(concurrency).padStart(2)}: ${String(result.requestsPerSecond).padStart(6)} req/s  p50 ${result.latencyMs.p50.toFixed(1).padStart(6)} ms  p90 ${result.latencyMs.p90.toFixed(1).padStart(6)} ms  p99 ${result.latencyMs.p99.toFixed(1).padStart(6)} ms  errors ${result.errors}  (n=${result.requests})`,
        );
      });
    }
    for (const [m, mode] of modes.entries()) serving[mode.name]!.server = await mode.describe(servers[m]!.url);
    measured = true;
  } finally {
    // All stopped even if one stop fails (it throws when PostgreSQL was left running).
    const failed = (await Promise.allSettled(servers.map((server) => server.stop()))).find((r) => r.status === 'rejected');
    // A failed stop after a failed run is logged, so that it does not hide the run's own error.
    if (failed && measured) throw failed.reason;
    if (failed) console.error('stopping a server failed too:', failed.reason);
  }

  const on = serving['batching on']!.runs;
  const off = serving['batching off']!.runs;
  const c1 = at(on, 1);
  const c32 = at(on, 32);
  const c32off = at(off, 32);
  const targets = {
    c1P50AtMost10Ms: c1 ? c1.latencyMs.p50 <= 10 : null,
    c32AtLeast250Rps: c32 ? c32.requestsPerSecond >= 250 : null,
    c32P99AtMost150Ms: c32 ? c32.latencyMs.p99 <= 150 : null,
    c32ZeroErrors: c32 ? c32.errors === 0 : null,
    batchingBeatsOffAt32: c32 && c32off ? c32.requestsPerSecond > c32off.requestsPerSecond : null,
  };

  console.log('\n| mode | concurrency | req/s | p50 ms | p90 ms | p99 ms | errors |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [mode, { runs }] of Object.entries(serving)) {
    for (const r of runs) console.log(`| ${mode} | ${r.concurrency} | ${r.requestsPerSecond} | ${r.latencyMs.p50.toFixed(1)} | ${r.latencyMs.p90.toFixed(1)} | ${r.latencyMs.p99.toFixed(1)} | ${r.errors} |`);
  }
  console.log('\nissue 5 targets:', Object.entries(targets).map(([k, v]) => `${k}=${verdict(v)}`).join('  '));
  const reference = serving[REFERENCE]?.runs;
  const speedup = reference ? speedupOver(on, reference) : null;
  if (speedup) {
    console.log(`\nPetLens (batching on) over the reference architecture, measured in this run:`);
    for (const r of speedup.levels) console.log(`  c=${String(r.concurrency).padStart(2)}: ${r.requestsPerSecond}x the answered requests/s, p50 ${r.p50}x shorter`);
    console.log(`  issue 5 asks for 3x for one user (c=1: ${verdict(speedup.oneUserAtLeast3x)}) and 3.5x for many (every level >= 8: ${verdict(speedup.manyAtLeast3_5x)})`);
  }

  const results = {
    when: new Date().toISOString(),
    machine,
    photos: photos.length,
    seconds: options.seconds,
    rounds: options.rounds,
    warmupSeconds: options.warmupSeconds,
    ...modelResults,
    http: serving,
    targets,
    ...(speedup ? { speedupOverReference: speedup } : {}),
  };
  await writeFile(options.json, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${options.json}`);
}

/**
 * PetLens' answered requests/s (200s only: a fast error is no speed) and p50
 * latency as multiples of the reference server's, level by level.
 */
function speedupOver(petlens: LoadResult[], reference: LoadResult[]) {
  const answeredPerSecond = (r: LoadResult) => (r.statuses['200'] ?? 0) / r.seconds;
  const levels = petlens.flatMap((ours) => {
    const theirs = at(reference, ours.concurrency);
    if (!theirs || answeredPerSecond(theirs) === 0) return [];
    return [{ concurrency: ours.concurrency, requestsPerSecond: round(answeredPerSecond(ours) / answeredPerSecond(theirs), 2), p50: round(theirs.latencyMs.p50 / ours.latencyMs.p50, 2) }];
  });
  const one = levels.find((level) => level.concurrency === 1);
  const many = levels.filter((level) => level.concurrency >= 8);
  return {
    levels,
    oneUserAtLeast3x: one ? one.requestsPerSecond >= 3 && one.p50 >= 3 : null,
    manyAtLeast3_5x: many.length > 0 ? many.every((level) => level.requestsPerSecond >= 3.5) : null,
  };
}

main().catch((error: unknown) => {
  console.error(`bench-serving: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
