/**
 * Starts the reference serving architecture (scripts/reference-server: Flask +
 * gunicorn with 2 sync workers + PyTorch, torchvision preprocessing) on a free
 * loopback port, for `npm run bench -- --reference`, and stops it again.
 */
import path from 'node:path';
import { freePort } from '~/lib/db/embedded';
import { spawnUntilReady } from './spawn-until-ready';

export interface ReferenceServer {
  /** Where it takes one photo as multipart field "image". */
  predictUrl: URL;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

export async function startReferenceServer(options: { logFile: string; backbone?: string; timeoutMs?: number }): Promise<ReferenceServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // serve.sh execs gunicorn, whose master stops its workers on SIGTERM.
  const server = await spawnUntilReady({
    command: 'bash',
    args: ['scripts/reference-server/serve.sh', String(port)],
    cwd: ROOT,
    env: options.backbone ? { ...process.env, REFERENCE_BACKBONE: path.resolve(options.backbone) } : process.env,
    logFile: options.logFile,
    readyUrl: `${baseUrl}/health`,
    // Long enough for a first run's apt-get install of torch and Flask.
    timeoutMs: options.timeoutMs ?? 600_000,
    what: 'the reference server',
  });
  return { predictUrl: new URL('/predict', baseUrl), stop: server.stop };
}
