/**
 * npm run bench:admin [-- --runs N]
 *
 * The admin dashboard at scale, against the production build (built first
 * if stale, as `npm start` does) with a throwaway embedded PostgreSQL:
 *  1. seeds 100,000 predictions with feedback and 20,000 without
 *     (lib/db/admin-bench-seed.ts, generate_series) and makes an admin;
 *  2. signs in as that admin over HTTP (next-auth credentials);
 *  3. times the server's full HTML response for /admin (unfiltered, and with
 *     a date range + model version filter) and /admin/review: several runs
 *     after a warm-up, median and p95. Target: /admin < 300 ms.
 * Prints the figures and writes .bench/admin.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import sharp from 'sharp';
import { BENCH_MODEL_VERSIONS, seedAdminBench } from '~/lib/db/admin-bench-seed';
import { ensureAdmin } from '~/lib/db/admins';
import { createPrismaClient } from '~/lib/db/client';
import { startEmbeddedPostgres } from '~/lib/db/embedded';
import { migrate } from '~/lib/db/migrate';
import { parsePositiveInt } from './cli-options';
import { SIGN_IN_AND_UPLOAD_LIMITS_OFF, startProductionServer, type ProductionServer } from './lib/production-server';
import { median, percentile } from './lib/stats';

const ROOT = path.resolve(__dirname, '..');
const TARGET_MS = 300;

const program = new Command('bench:admin')
  .option('--runs <n>', 'timed requests per page', parsePositiveInt, 30)
  .option('--with-feedback <n>', 'seeded predictions with feedback', parsePositiveInt, 100_000)
  .option('--without-feedback <n>', 'seeded predictions without feedback', parsePositiveInt, 20_000)
  .parse();

/** Signs in through next-auth's credentials callback; returns the Cookie header of the session. */
async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      jar.set(name!.trim(), value.join('='));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  keep(response);
  if (![...jar.keys()].some((k) => k.endsWith('next-auth.session-token'))) throw new Error(`sign-in failed (${response.status})`);
  return cookie();
}

async function time(url: string, cookie: string, runs: number, check: (html: string) => void) {
  const ms: number[] = [];
  for (let run = -3; run < runs; run++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
    const html = await response.text();
    const elapsed = performance.now() - started;
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    check(html);
    if (run >= 0) ms.push(elapsed); // the first three warm up
  }
  return { runs: ms.length, medianMs: median(ms), p95Ms: percentile(ms, 95), maxMs: Math.max(...ms) };
}

async function main() {
  const options = program.opts<{ runs: number; withFeedback: number; withoutFeedback: number }>();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'petlens-bench-admin-'));
  const database = await startEmbeddedPostgres({ dataDir, port: 0, persistent: false, database: 'petlens_bench' });
  let server: ProductionServer | null = null;
  try {
    await migrate(database.url);
    const webp = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#8a7f70' } }).webp().toBuffer();
    const seeded = await seedAdminBench(database.url, {
      withFeedback: options.withFeedback,
      withoutFeedback: options.withoutFeedback,
      users: 50,
      tag: 'bench',
      thumbnail: { webp, width: 8, height: 6 },
    });
    console.log(`seeded ${seeded.predictions} predictions in ${seeded.seconds.toFixed(1)} s`);
    const email = 'bench-admin@example.test';
    const password = 'bench admin password';
    const db = createPrismaClient(database.url, { max: 1 });
    await ensureAdmin(db, { email, password }, { promoteExisting: true }).finally(() => db.$disconnect());

    server = await startProductionServer({
      name: 'bench-admin-server',
      databaseUrl: database.url,
      readyPath: '/login',
      env: SIGN_IN_AND_UPLOAD_LIMITS_OFF,
      timeoutMs: 400_000,
    });
    const { baseUrl } = server;
    const cookie = await signIn(baseUrl, email, password);

    const total = options.withFeedback + options.withoutFeedback;
    const expectTotal = (html: string) => {
      const value = /data-testid="overview-total" data-value="(\d+)"/.exec(html)?.[1];
      if (Number(value) !== total) throw new Error(`/admin shows ${value ?? 'no'} predictions, expected ${total}`);
    };
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
    const result = {
      rows: { withFeedback: options.withFeedback, withoutFeedback: options.withoutFeedback },
      dashboard: await time(`${baseUrl}/admin`, cookie, options.runs, expectTotal),
      dashboardFiltered: await time(`${baseUrl}/admin?from=${from}&to=${to}&model=${BENCH_MODEL_VERSIONS[2]}`, cookie, options.runs, (html) => {
        if (!html.includes('data-testid="overview-total"')) throw new Error('filtered /admin has no figures');
      }),
      review: await time(`${baseUrl}/admin/review`, cookie, options.runs, (html) => {
        if (!html.includes('data-testid="review-item"')) throw new Error('/admin/review lists nothing');
      }),
      targetMs: TARGET_MS,
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '?', loadavg: os.loadavg().map((x) => Number(x.toFixed(2))) },
    };
    const pass = result.dashboard.p95Ms < TARGET_MS && result.dashboardFiltered.p95Ms < TARGET_MS;
    await mkdir(path.join(ROOT, '.bench'), { recursive: true });
    await writeFile(path.join(ROOT, '.bench', 'admin.json'), `${JSON.stringify({ ...result, pass }, null, 2)}\n`);
    const line = (name: string, t: { runs: number; medianMs: number; p95Ms: number; maxMs: number }) =>
      `  ${name.padEnd(34)} median ${t.medianMs.toFixed(0).padStart(4)} ms   p95 ${t.p95Ms.toFixed(0).padStart(4)} ms   max ${t.maxMs.toFixed(0).padStart(4)} ms   (${t.runs} runs)`;
    console.log('');
    console.log(`admin pages, server HTML response as an admin, ${total.toLocaleString('en-US')} predictions (${options.withFeedback.toLocaleString('en-US')} with feedback), production build, ${result.machine.cpus} CPUs (load ${result.machine.loadavg.join(' ')}):`);
    console.log(line('/admin', result.dashboard));
    console.log(line(`/admin 60 days + model ${BENCH_MODEL_VERSIONS[2]}`, result.dashboardFiltered));
    console.log(line('/admin/review', result.review));
    console.log(`  target: /admin p95 < ${TARGET_MS} ms  ${pass ? 'PASS' : 'FAIL'}`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    await server?.stop();
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench:admin: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
