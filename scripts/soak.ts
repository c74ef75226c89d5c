/**
 * npm run soak [-- --minutes 5 --concurrency 32 --data DIR --json FILE]
 *
 * The load and soak run of issue 6 (item 2), against the production build
 * started like `npm start` (embedded PostgreSQL in a throwaway folder,
 * scripts/serve.cjs), with the API (anonymous and token) and upload rate limits off:
 *  - one user and an API token are created directly in the server's database;
 *  - N concurrent clients POST /api/v1/predict for the given minutes with a
 *    mix of real photos from ../shared/data (anonymous and with the token) and
 *    invalid uploads (empty, text, SVG, HEIC, truncated JPEG, random bytes
 *    behind a PNG signature, a 30000x30000 PNG bomb, malformed multipart, a
 *    missing field, one over the size limit), anonymous and with the token;
 *  - the app server process's (petlens-server) RSS (/proc/<pid>/status) is sampled every 2 s.
 * At the end it reports requests by kind and status and checks: zero 5xx and
 * no dropped connections; RSS growth after warm-up (the first 30 s) under
 * 100 MB; no leaked PostgreSQL connections (pg_stat_activity before, after
 * warm-up and after the run); rows stored for the token user equal to its
 * successful uploads and no other rows. Beside the checks it reports the
 * median RSS of the run's third and last quarters (see secondHalfTrend).
 * Prints a table, writes JSON (.bench/soak.json) and exits 1 when a check
 * fails. Loopback only.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { Client } from 'pg';
import sharp from 'sharp';
import { HEIC_HEADER, SVG_WITH_SCRIPT, pixelBomb } from '../tests/fixtures/images';
import { parsePositiveInt, parsePositiveNumber } from './cli-options';
import { findAppServer } from './lib/app-server-process';
import { median } from './lib/stats';
import { multipartBody } from './lib/multipart-body';
import { connectToServerDatabase, startProductionServer, type ProductionServer } from './lib/production-server';
import { insertApiToken, insertUser } from './lib/server-rows';

const program = new Command('soak')
  .option('--minutes <n>', 'how long to run the load', parsePositiveNumber, 5)
  .option('--concurrency <n>', 'concurrent clients', parsePositiveInt, 32)
  .option('--warmup-seconds <n>', 'seconds excluded from the RSS growth check', parsePositiveNumber, 30)
  .option('--data <dir>', 'the shared data folder', path.join('..', 'shared', 'data'))
  .option('--json <file>', 'where to write the results', path.join('.bench', 'soak.json'))
  .parse();

interface Options {
  minutes: number;
  concurrency: number;
  warmupSeconds: number;
  data: string;
  json: string;
}

const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;
const RSS_GROWTH_LIMIT_MB = 100;
const SAMPLE_EVERY_MS = 2000;
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

// ---------------------------------------------------------------- server

/** The production build with the anonymous API and upload limits off and the soak's upload limit. */
function startServer(logFile: string): Promise<ProductionServer> {
  return startProductionServer({
    name: 'soak',
    host: '127.0.0.1',
    logFile,
    env: { API_ANON_RATE_LIMIT: '0', API_TOKEN_RATE_LIMIT: '0', UPLOAD_RATE_LIMIT: '0', MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) },
  });
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return round(kb / 1024);
}

/** Client connections to the app's database, other than this script's own. */
async function connections(db: Client): Promise<number> {
  const result = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
  );
  return Number(result.rows[0]!.n);
}

// ---------------------------------------------------------------- workload

interface Body {
  kind: string;
  valid: boolean;
  body: Buffer;
  contentType: string;
}

function multipart(kind: string, valid: boolean, data: Buffer, filename = 'photo.jpg', field = 'image'): Body {
  return { kind, valid, ...multipartBody([{ data, filename, type: 'application/octet-stream' }], field) };
}

/** Real JPEGs from several sources (cats, dogs, other), read once. */
async function realPhotos(dataDir: string, perFolder: number): Promise<Buffer[]> {
  const folders = ['pets/kaggle/cats', 'pets/kaggle/dogs', 'pets/breeds/cats', 'pets/breeds/dogs', 'other/imagenet', 'other/scenes', 'other/people'];
  const photos: Buffer[] = [];
  for (const folder of folders) {
    const dir = path.join(dataDir, folder);
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => /\.(jpe?g|png|webp)$/i.test(n)).sort();
    for (const name of names.slice(0, perFolder)) {
      const bytes = await readFile(path.join(dir, name));
      if (bytes.length < MAX_UPLOAD_BYTES) photos.push(bytes);
    }
  }
  if (photos.length === 0) throw new Error(`no photos under ${dataDir}`);
  return photos;
}

async function invalidBodies(photo: Buffer): Promise<Body[]> {
  const jpeg = await sharp(photo).jpeg().toBuffer();
  const good = multipart('x', true, jpeg);
  return [
    multipart('invalid: empty file', false, Buffer.alloc(0)),
    multipart('invalid: text named .jpg', false, Buffer.from('not a photo\n'.repeat(50))),
    multipart('invalid: SVG with script', false, SVG_WITH_SCRIPT, 'x.svg'),
    multipart('invalid: HEIC', false, HEIC_HEADER, 'x.heic'),
    multipart('invalid: truncated JPEG', false, jpeg.subarray(0, jpeg.length >> 1)),
    multipart('invalid: random PNG', false, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(4096)]), 'x.png'),
    multipart('invalid: PNG bomb', false, pixelBomb(30000, 30000), 'bomb.png'),
    multipart('invalid: missing field', false, jpeg, 'x.jpg', 'photo'),
    { kind: 'invalid: truncated multipart', valid: false, body: good.body.subarray(0, good.body.length >> 1), contentType: good.contentType },
    { kind: 'invalid: no boundary', valid: false, body: good.body, contentType: 'multipart/form-data' },
    multipart('invalid: over the size limit', false, Buffer.concat([jpeg, Buffer.alloc(MAX_UPLOAD_BYTES + 1 - jpeg.length)])),
  ];
}

interface Outcome {
  status: number;
  saved: boolean;
}

function post(agent: http.Agent, url: URL, body: Body, token: string | null): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { 'content-type': body.contentType, 'content-length': body.body.length };
    if (token) headers.authorization = `Bearer ${token}`;
    const request = http.request({ agent, hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        let saved = false;
        try {
          saved = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { saved?: boolean }).saved === true;
        } catch {
          // not JSON: counted by status
        }
        resolve({ status: response.statusCode ?? 0, saved });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body.body);
  });
}

/**
 * The median RSS over the third and over the last quarter of the run. The
 * growth check's baseline is one sample at the end of warm-up, and RSS swings
 * by tens of MB between samples; a leak shows as a rise between these two
 * medians, while a heap that has settled keeps them level. Reported beside
 * the check, not in place of it.
 */
function secondHalfTrend(rss: { t: number; mb: number }[], seconds: number) {
  // Half-open, so a sample on the boundary counts in one quarter only; the last one keeps the run's end sample.
  const within = (from: number, to: number) => rss.filter((s) => s.t >= from * seconds && (s.t < to * seconds || to === 1)).map((s) => s.mb);
  const [third, last] = [within(0.5, 0.75), within(0.75, 1)];
  // A run of a few seconds may have no sample in a quarter: then both stand at the last sample.
  const thirdQuarterMedian = third.length > 0 ? median(third) : rss[rss.length - 1]!.mb;
  const lastQuarterMedian = last.length > 0 ? median(last) : rss[rss.length - 1]!.mb;
  return { thirdQuarterMedian, lastQuarterMedian, change: round(lastQuarterMedian - thirdQuarterMedian) };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const options = program.opts<Options>();
  const durationMs = options.minutes * 60_000;
  const warmupMs = Math.min(options.warmupSeconds * 1000, durationMs / 2);
  await mkdir(path.dirname(options.json), { recursive: true });
  const photos = await realPhotos(options.data, 12);
  const valid = photos.map((photo, i) => multipart('valid', true, photo, `p${i}.jpg`));
  const invalid = await invalidBodies(photos[0]!);
  const machine = { cpus: os.availableParallelism(), model: os.cpus()[0]?.model, node: process.version };
  console.log(`${machine.cpus} CPUs (${machine.model}), Node ${machine.node}; ${photos.length} real photos from ${options.data}, ${invalid.length} kinds of invalid upload`);

  const logFile = path.join(path.dirname(options.json), 'soak-server.log');
  console.log(`starting the production server (log: ${logFile}) …`);
  const server = await startServer(logFile);
  const db = await connectToServerDatabase(server);
  let exitCode = 0;
  try {
    const nextPid = await findAppServer(server.pid);
    const userId = await insertUser(db, 'soak@example.test');
    const token = await insertApiToken(db, userId, { name: 'soak' });
    const connectionsBefore = await connections(db);
    const rowsBefore = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM "Prediction"')).rows[0]!.n);

    const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
    const url = new URL('/api/v1/predict', server.baseUrl);
    const byKind: Record<string, Record<string, number>> = {};
    const byStatus: Record<string, number> = {};
    let tokenSaved = 0;
    let dropped = 0;
    let requests = 0;
    const rss: { t: number; mb: number }[] = [];
    let connectionsAfterWarmup: number | null = null;
    const start = performance.now();
    const end = start + durationMs;
    console.log(`load: ${options.concurrency} clients for ${options.minutes} min (warm-up ${warmupMs / 1000} s); petlens-server pid ${nextPid}`);
    rss.push({ t: 0, mb: await rssMb(nextPid) });
    const sampler = setInterval(() => {
      const t = round((performance.now() - start) / 1000);
      void rssMb(nextPid).then((mb) => rss.push({ t, mb }), () => undefined);
      if (connectionsAfterWarmup === null && performance.now() - start >= warmupMs) {
        connectionsAfterWarmup = -1;
        void connections(db).then((n) => (connectionsAfterWarmup = n));
      }
    }, SAMPLE_EVERY_MS);
    let n = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < end) {
          const i = n++;
          // 70 % real photos, 30 % invalid; half of each with the token.
          const body = i % 10 < 7 ? valid[(i * 7) % valid.length]! : invalid[i % invalid.length]!;
          const withToken = Math.floor(i / 10) % 2 === 0;
          const kind = `${body.valid ? 'valid' : body.kind}${withToken ? ' (token)' : ' (anonymous)'}`;
          let outcome: Outcome;
          try {
            outcome = await post(agent, url, body, withToken ? token : null);
          } catch {
            outcome = { status: 0, saved: false };
            dropped++;
          }
          requests++;
          byStatus[outcome.status] = (byStatus[outcome.status] ?? 0) + 1;
          (byKind[kind] ??= {})[outcome.status] = (byKind[kind]![outcome.status] ?? 0) + 1;
          if (withToken && outcome.status === 200 && outcome.saved) tokenSaved++;
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    clearInterval(sampler);
    agent.destroy();
    rss.push({ t: round(elapsed), mb: await rssMb(nextPid) });
    // Give the pool a moment to settle, then count again.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const connectionsAfter = await connections(db);
    const health = await fetch(`${server.baseUrl}/api/v1/health`).then((r) => r.status, () => 0);

    const rowsForUser = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM "Prediction" WHERE "userId" = $1', [userId])).rows[0]!.n);
    const rowsTotal = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM "Prediction"')).rows[0]!.n) - rowsBefore;
    const afterWarmup = rss.find((s) => s.t * 1000 >= warmupMs) ?? rss[0]!;
    const last = rss[rss.length - 1]!;
    const peak = Math.max(...rss.map((s) => s.mb));
    const trend = secondHalfTrend(rss, elapsed);
    const fiveXx = Object.entries(byStatus).reduce((sum, [status, count]) => (Number(status) >= 500 ? sum + count : sum), 0);
    const warm = connectionsAfterWarmup ?? connectionsBefore;
    const checks = {
      zero5xx: fiveXx === 0,
      noDroppedConnections: dropped === 0,
      rssGrowthUnder100Mb: last.mb - afterWarmup.mb < RSS_GROWTH_LIMIT_MB,
      // The pool opens connections under load; afterwards there must be no more than at the end of warm-up.
      noLeakedDbConnections: connectionsAfter <= Math.max(connectionsBefore, warm),
      rowsEqualTokenSuccesses: rowsForUser === tokenSaved,
      noOtherRows: rowsTotal === rowsForUser,
      healthGreenAfter: health === 200,
    };

    console.log(`\n${requests} requests in ${round(elapsed)} s (${round(requests / elapsed)} req/s) at concurrency ${options.concurrency}`);
    console.log('\n| upload | ' + ['200', '4xx', '5xx', 'dropped'].join(' | ') + ' |');
    console.log('|---|---:|---:|---:|---:|');
    for (const [kind, statuses] of Object.entries(byKind).sort()) {
      const count = (test: (s: number) => boolean) => Object.entries(statuses).reduce((sum, [s, c]) => (test(Number(s)) ? sum + c : sum), 0);
      const codes = Object.entries(statuses).map(([s, c]) => `${s}×${c}`).join(' ');
      console.log(`| ${kind} | ${count((s) => s === 200)} | ${count((s) => s >= 400 && s < 500)} | ${count((s) => s >= 500)} | ${count((s) => s === 0)} |  ${codes}`);
    }
    console.log(`\nby status: ${Object.entries(byStatus).map(([s, c]) => `${s}: ${c}`).join(', ')}`);
    console.log('\n| measure | value |');
    console.log('|---|---:|');
    console.log(`| app server RSS at start of load | ${rss[0]!.mb} MB |`);
    console.log(`| RSS after warm-up (${round(afterWarmup.t)} s) | ${afterWarmup.mb} MB |`);
    console.log(`| RSS at end (${round(last.t)} s) | ${last.mb} MB |`);
    console.log(`| RSS growth after warm-up | ${round(last.mb - afterWarmup.mb)} MB (limit ${RSS_GROWTH_LIMIT_MB}) |`);
    console.log(`| RSS peak | ${peak} MB |`);
    console.log(`| RSS median, third quarter → last quarter of the run (a leak keeps climbing here; not a check) | ${trend.thirdQuarterMedian} → ${trend.lastQuarterMedian} MB (${trend.change >= 0 ? '+' : ''}${trend.change} MB) |`);
    console.log(`| PostgreSQL client connections before / after warm-up / after | ${connectionsBefore} / ${warm} / ${connectionsAfter} |`);
    console.log(`| successful token uploads (saved) | ${tokenSaved} |`);
    console.log(`| rows stored for the token user / all new rows | ${rowsForUser} / ${rowsTotal} |`);
    console.log(`\nchecks: ${Object.entries(checks).map(([k, v]) => `${k}=${v ? 'ok' : 'FAILED'}`).join('  ')}`);

    const results = {
      when: new Date().toISOString(),
      machine,
      conditions: { minutes: options.minutes, concurrency: options.concurrency, warmupSeconds: warmupMs / 1000, maxUploadBytes: MAX_UPLOAD_BYTES, photos: photos.length, mix: '70% real photos, 30% invalid; half of each with an API token', rateLimits: 'off' },
      requests,
      seconds: round(elapsed),
      requestsPerSecond: round(requests / elapsed),
      byStatus,
      byKind,
      dropped,
      rssMb: { start: rss[0]!.mb, afterWarmup: afterWarmup.mb, end: last.mb, growth: round(last.mb - afterWarmup.mb), peak, secondHalfTrend: trend, samples: rss },
      dbConnections: { before: connectionsBefore, afterWarmup: warm, after: connectionsAfter },
      rows: { tokenSaved, forTokenUser: rowsForUser, totalNew: rowsTotal },
      healthAfter: health,
      checks,
    };
    await writeFile(options.json, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`wrote ${options.json}`);
    if (!Object.values(checks).every(Boolean)) exitCode = 1;
  } finally {
    await db.end();
    await server.stop();
  }
  process.exitCode = exitCode;
}

main().catch((error: unknown) => {
  console.error(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
