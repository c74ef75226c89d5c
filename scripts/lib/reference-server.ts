/**
 * Starts the reference serving architecture (scripts/reference-server: Flask +
 * gunicorn with 2 sync workers + PyTorch, torchvision preprocessing) on a free
 * loopback port, for `npm run bench -- --reference`, and stops it again.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { freePort } from '~/lib/db/embedded';

export interface ReferenceServer {
  baseUrl: string;
  /** Where it takes one photo as multipart field "image". */
  predictPath: string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

export async function startReferenceServer(options: { logFile: string; backbone: string; timeoutMs?: number }): Promise<ReferenceServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const log = createWriteStream(options.logFile);
  const child = spawn('bash', ['scripts/reference-server/serve.sh', String(port)], {
    cwd: ROOT,
    env: { ...process.env, REFERENCE_BACKBONE: path.resolve(options.backbone) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // serve.sh execs gunicorn, whose master stops its workers on SIGTERM.
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  // Long enough for a first run's apt-get install of torch and Flask.
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the reference server exited with ${child.exitCode ?? child.signalCode}; see ${options.logFile}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the reference server did not become ready in time; see ${options.logFile}`);
    }
    if (await fetch(`${baseUrl}/health`).then((r) => r.ok, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { baseUrl, predictPath: '/predict', stop };
}
