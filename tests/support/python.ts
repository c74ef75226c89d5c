/**
 * Running the training code's Python from the tests, on the interpreter training runs on (training/train.sh):
 * Debian's, which has PIL and numpy (scripts/test.sh installs them), or PYTHON.
 */
import { runCommand, type CliResult } from './cli';

const PYTHON = process.env.PYTHON || '/usr/bin/python3';

/**
 * Runs the program `lines` on PYTHON with `sys` imported and training/ importable (`from split import ...`), passing
 * it `args` (in `sys.argv[1:]`); never rejects (see runCommand).
 */
export function runTrainingSnippet(lines: readonly string[], args: string[]): Promise<CliResult> {
  return runCommand(PYTHON, ['-c', ['import sys', "sys.path.insert(0, 'training')", ...lines].join('\n'), ...args]);
}

/** Runs the training script `script` (training/split.py, say) on PYTHON with `args`; rejects, with its output, when it fails. */
export async function runTrainingScript(script: string, args: string[]): Promise<void> {
  const { code, stdout, stderr } = await runCommand(PYTHON, [script, ...args]);
  if (code !== 0) throw new Error(`${script} exited with ${code}:\n${stdout}${stderr}`);
}
