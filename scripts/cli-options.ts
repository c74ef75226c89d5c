/** Option parsers and process conventions shared by the CLIs. */
import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import type { Classifier } from '~/lib/ml/classifier';
import type { InferenceDevice } from '~/lib/ml/session';

/**
 * A path the user typed, resolved against the folder they typed it in. `npm run` starts its scripts in the project
 * root and passes the user's folder as INIT_CWD: without this, `cd photos && npm run predict -- cat.jpg` looked for
 * cat.jpg in the project root. Started any other way (npx tsx, node), the process's own folder is the user's.
 */
export function resolveUserPath(value: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), value);
}

export function parseDevice(value: string): InferenceDevice {
  if (value === 'auto' || value === 'cuda' || value === 'cpu') return value;
  throw new InvalidArgumentError('must be auto, cuda or cpu');
}

/**
 * Number() reads '' and '  ' as 0 and '0x1' as 1: an unset shell variable
 * (`--min-accuracy "$BAR"`) would turn a gate off. Only plain decimals pass.
 */
function decimal(value: string): number {
  return /^\s*(\d+\.?\d*|\.\d+)\s*$/.test(value) ? Number(value) : Number.NaN;
}

export function parseFraction(value: string): number {
  const number = decimal(value);
  if (!Number.isFinite(number) || number < 0 || number > 1) throw new InvalidArgumentError('must be a number between 0 and 1');
  return number;
}

export function parseNonNegativeInt(value: string): number {
  const number = decimal(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return number;
}

export function parsePositiveInt(value: string): number {
  const number = decimal(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a positive integer');
  return number;
}

/** A positive integer with a ceiling: each unit of it costs memory or threads (a file read at once, say). */
export function parsePositiveIntUpTo(max: number): (value: string) => number {
  return (value) => {
    const number = decimal(value);
    if (!Number.isInteger(number) || number < 1 || number > max) throw new InvalidArgumentError(`must be a whole number from 1 to ${max}`);
    return number;
  };
}

/** With --device auto, says on stderr (stdout may be JSON) why CUDA was not used, as the server logs it. */
export function reportCpuFallback(command: string, classifier: Pick<Classifier, 'fallbackReason'>): void {
  if (classifier.fallbackReason) console.error(`${command}: CUDA not used (${classifier.fallbackReason}); running on the CPU`);
}

export function parsePositiveNumber(value: string): number {
  const number = decimal(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('must be a positive number');
  return number;
}

/**
 * A command line the CLI cannot run (an unknown option, a bad or missing
 * value) exits 2, as `grep` and `diff` do: commander's default, 1, is the
 * exit code evaluate gives a model below --min-accuracy and predict gives a
 * file it could not read, and a script gating on those must not mistake a
 * typo for a result. --help and --version still exit 0.
 */
export function exitTwoOnUsageErrors(program: Command): Command {
  return program.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
}

/**
 * `predict ... | head -1`: once the reader has gone, the next write fails
 * with EPIPE. That is the reader's choice, not an error to print a stack
 * trace for; the exit code says what happened so far.
 */
export function exitQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}
