/**
 * Drives tests/support/pg-controller.ts, a dedicated embedded PostgreSQL in a child process, from a test.
 * The child is the script's own Node process (`node --import tsx`, not the tsx command, which would be a process of
 * its own between the two): a test that kills it kills the PostgreSQL's starter itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface PgController {
  /** The controller's process. */
  child: ChildProcess;
  /** Starts the server (the same port every time) and answers its URL and port. */
  start(): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
  /** Closes its stdin, so that it stops the server and exits; resolves once it has. */
  close(): Promise<void>;
}

export function startPgController(dataDir: string): PgController {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/pg-controller.ts', dataDir], {
    cwd: path.resolve(__dirname, '..', '..'),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const answers = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  async function command(line: 'start' | 'stop'): Promise<string> {
    child.stdin!.write(`${line}\n`);
    const { value, done } = await answers.next();
    if (done || typeof value !== 'string' || value.startsWith('error')) throw new Error(`pg-controller ${line}: ${String(value)}`);
    return value;
  }
  return {
    child,
    start: async () => JSON.parse(await command('start')) as { url: string; port: number },
    stop: async () => {
      const answer = await command('stop');
      if (answer !== 'stopped') throw new Error(`pg-controller stop: ${answer}`);
    },
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin!.end();
      await exited;
    },
  };
}
