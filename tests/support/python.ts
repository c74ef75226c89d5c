/**
 * Running the training code's Python from the tests, on the interpreter training runs on (training/train.sh):
 * Debian's, which has PIL and numpy (scripts/test.sh installs them), or PYTHON.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { runCommand, type CliResult } from './cli';

export const PYTHON = process.env.PYTHON || '/usr/bin/python3';

/**
 * Runs the program `lines` on PYTHON with `sys` imported and training/ importable (`from split import ...`), passing
 * it `args` (in `sys.argv[1:]`); never rejects (see runCommand).
 */
export function runTrainingSnippet(lines: readonly string[], args: string[]): Promise<CliResult> {
  return runCommand(PYTHON, ['-c', ['import sys', "sys.path.insert(0, 'training')", ...lines].join('\n'), ...args]);
}

const execFileAsync = promisify(execFile);

/** Runs the training script `script` (training/split.py, say) on PYTHON with `args`; rejects, with its output, when it fails. */
export async function runTrainingScript(script: string, args: string[]): Promise<void> {
  await execFileAsync(PYTHON, [script, ...args], { maxBuffer: 10_000_000 });
}
