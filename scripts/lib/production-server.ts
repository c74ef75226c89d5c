/**
 * Starts PetLens the way `npm start` does (scripts/start.ts: model check,
 * migrations, `next build` when stale, scripts/serve.cjs) on a free port with
 * throwaway data, for the benchmarks, the soak and the end-to-end tests, and
 * stops it again. Each caller passes only the settings it changes.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '~/lib/db/embedded';
import { spawnUntilReady, type ProcessExit } from './spawn-until-ready';

export interface ProductionServer {
  baseUrl: string;
  /** The launcher's pid (the app server and PostgreSQL are its children); npm's with `via: 'npm start'`. */
  pid: number;
  dataDir: string;
  logFile: string;
  /** Stops the launcher (and with it the app server and its PostgreSQL), then removes the data. */
  stop(): Promise<void>;
  /** How the launcher (npm's process with `via: 'npm start'`) ended, once it has. */
  exited: Promise<ProcessExit>;
}

export interface ProductionServerOptions {
  /** Names the throwaway data folder (petlens-<name>-XXXX under the OS temp dir). */
  name: string;
  /** Settings on top of the defaults below, e.g. rate limits off for a load test. */
  env?: Record<string, string>;
  /** A database to use; by default the launcher starts an embedded PostgreSQL in the data folder. */
  databaseUrl?: string;
  /** The server's stdout and stderr; default `<dataDir>/server.log`. */
  logFile?: string;
  /** Polled until it answers 2xx. */
  readyPath?: string;
  /** `localhost` for browsers (cookies, NEXTAUTH_URL); `127.0.0.1` spares a load generator the name lookup. */
  host?: 'localhost' | '127.0.0.1';
  timeoutMs?: number;
  /**
   * `launcher` (default): scripts/start.ts directly. `npm start`: through npm,
   * as a user starts it; `pid` is then npm's, with the launcher its child.
   */
  via?: 'launcher' | 'npm start';
}

const ROOT = path.resolve(__dirname, '..', '..');

/** For benchmarks that sign in and upload many times from one address. */
export const SIGN_IN_AND_UPLOAD_LIMITS_OFF = { SIGN_IN_RATE_LIMIT: '0', SIGN_UP_RATE_LIMIT: '0', UPLOAD_RATE_LIMIT: '0' } as const;

export async function startProductionServer(options: ProductionServerOptions): Promise<ProductionServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `petlens-${options.name}-`));
  const logFile = options.logFile ?? path.join(dataDir, 'server.log');
  const port = await freePort();
  const baseUrl = `http://${options.host ?? 'localhost'}:${port}`;
  // `--import tsx` rather than the tsx command (as `npm start` does): the
  // launcher is then our own child and stops itself when this process dies
  // without stopping it (see scripts/start.ts).
  const [command, args] = options.via === 'npm start' ? ['npm', ['start']] : [process.execPath, ['--import', 'tsx', 'scripts/start.ts']];
  const removeData = async () => {
    // The launcher must have stopped its PostgreSQL: no postmaster.pid left behind.
    const leftBehind = existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'));
    await rm(dataDir, { recursive: true, force: true });
    if (leftBehind) throw new Error('the launcher left its PostgreSQL running');
  };
  const server = await spawnUntilReady({
    command,
    args,
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      PETLENS_DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: '0',
      DATABASE_URL: options.databaseUrl ?? '',
      // Embedded mode: empty, so the launcher generates one into the data
      // folder as `npm start` does (an e2e test checks that); with a given
      // database the launcher requires one.
      NEXTAUTH_SECRET: options.databaseUrl ? randomBytes(32).toString('base64url') : '',
      NEXTAUTH_URL: baseUrl,
      NEXT_TELEMETRY_DISABLED: '1',
      ...options.env,
    },
    logFile,
    readyUrl: `${baseUrl}${options.readyPath ?? '/api/v1/health'}`,
    timeoutMs: options.timeoutMs ?? 300_000,
    what: 'the server',
    cleanup: removeData,
  });
  const stop = async () => {
    await server.stop();
    await removeData();
  };
  return { baseUrl, pid: server.child.pid!, dataDir, logFile, stop, exited: server.exited };
}

/**
 * A direct connection to the launcher's embedded PostgreSQL (port from its
 * log, password beside the cluster): for setting up rows and checking what
 * was stored.
 */
export async function connectToServerDatabase(server: Pick<ProductionServer, 'dataDir' | 'logFile'>): Promise<Client> {
  const port = /embedded PostgreSQL on 127\.0\.0\.1:(\d+)/.exec(await readFile(server.logFile, 'utf8'))?.[1];
  if (!port) throw new Error(`no embedded PostgreSQL port in ${server.logFile}`);
  const password = (await readFile(path.join(server.dataDir, 'postgres-password'), 'utf8')).trim();
  const client = new Client({ host: '127.0.0.1', port: Number(port), user: 'postgres', password, database: 'petlens' });
  await client.connect();
  return client;
}
