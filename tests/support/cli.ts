/** Runs the project's CLIs and commands as a user runs them, capturing exit code and output. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CliResult {
  /** The exit code; a string (`'ENOENT'`) when the command could not be started. */
  code: number | string;
  stdout: string;
  stderr: string;
}

/** Runs `file args` (in this process's environment, plus `env`), resolving (never rejecting) with its exit code and output. */
export async function runCommand(file: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(file, args, { maxBuffer: 10_000_000, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as CliResult;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** One of the project's CLIs, as a user runs it: `npx tsx scripts/<script>`. */
export function runCli(script: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCommand('npx', ['tsx', path.join('scripts', script), ...args], env);
}
