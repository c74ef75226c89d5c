/**
 * Starts a server process with its output in a log file and waits until a
 * URL of it answers 2xx: the benchmarks', soak's and end-to-end tests'
 * launchers (production-server.ts, reference-server.ts) share it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** How a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** How `child` ends, once it does (to be asked before it has: an exit gone by is not told again). */
export function exitStatus(child: ChildProcess): Promise<ProcessExit> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

export interface ReadyServer {
  child: ChildProcess;
  /** SIGTERM, then waits for the exit (at once when it has already exited). */
  stop(): Promise<void>;
  /** How the process ended, once it has. */
  exited: Promise<ProcessExit>;
}

export interface SpawnUntilReadyOptions {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Polled every 500 ms until it answers 2xx. */
  readyUrl: string;
  timeoutMs: number;
  /** Names the server in errors ("the server", "the reference server"). */
  what: string;
  /** Runs when the start fails (an exit or a timeout), before the error is thrown: e.g. removing data. */
  cleanup?: () => Promise<void>;
}

export async function spawnUntilReady(options: SpawnUntilReadyOptions): Promise<ReadyServer> {
  const log = createWriteStream(options.logFile);
  const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = exitStatus(child);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  /** Stops what started and cleans up after it; the start's own error is the one thrown, a cleanup error only logged. */
  const fail = async (message: string): Promise<never> => {
    await stop();
    await options.cleanup?.().catch((error: unknown) => console.error(`cleaning up after ${options.what} failed:`, error));
    throw new Error(`${message}; see ${options.logFile}`);
  };
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    // A signal (the OOM killer, say) ends it as surely as an exit code.
    if (child.exitCode !== null || child.signalCode !== null) await fail(`${options.what} exited with ${child.exitCode ?? child.signalCode}`);
    if (Date.now() > deadline) await fail(`${options.what} did not become ready within ${options.timeoutMs / 1000} s`);
    // Each poll bounded: a server that accepts and never answers must not outlast the deadline.
    if (await fetch(options.readyUrl, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { child, stop, exited };
}
