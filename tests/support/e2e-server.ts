/**
 * Starts the production build through `npm start`'s launcher
 * (scripts/start.ts: builds when stale, embedded PostgreSQL in a throwaway
 * folder) for an e2e file, and stops it again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '~/lib/db/embedded';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface E2eServer {
  baseUrl: string;
  dataDir: string;
  logFile: string;
  stop(): Promise<void>;
}

export async function startE2eServer(name: string, extraEnv: Record<string, string> = {}, timeoutMs = 200_000): Promise<E2eServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `petlens-e2e-${name}-`));
  const logFile = path.join(dataDir, 'server.log');
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const log = createWriteStream(logFile);
  const server: ChildProcess = spawn(process.execPath, [require.resolve('tsx/cli'), 'scripts/start.ts'], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      PETLENS_DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: '0',
      DATABASE_URL: '',
      NEXTAUTH_SECRET: '',
      NEXTAUTH_URL: baseUrl,
      NEXT_TELEMETRY_DISABLED: '1',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await exited;
    }
    // The launcher must have stopped its PostgreSQL: no postmaster.pid left behind.
    const leftBehind = existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'));
    await rm(dataDir, { recursive: true, force: true });
    if (leftBehind) throw new Error('the launcher left its PostgreSQL running');
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}; see ${logFile}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not become healthy within ${timeoutMs / 1000}s`);
    }
    const status = await fetch(`${baseUrl}/api/v1/health`).then((r) => r.status, () => 0);
    if (status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { baseUrl, dataDir, logFile, stop };
}
