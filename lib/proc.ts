/**
 * @file Linux's /proc/PID/stat, read by the embedded database's owner check and stop, the launcher's process-tree
 * walk and the tests that watch processes end.
 */
import { readFileSync } from 'node:fs';

/**
 * The fields of a /proc/PID/stat line after the command name: [0] the state ('Z' for a zombie), [1] the parent's
 * pid, [19] the start time in clock ticks since boot. The command name, in parentheses, may itself hold spaces and
 * parentheses, so the fields are counted from the last ')'.
 */
export function procStatFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * Whether a process with this pid is running: its /proc entry exists and it is not a zombie (a process whose parent
 * died is reaped by whatever adopts it, which on some hosts may take its time; a child of ours ended but not yet reaped
 * is one too).
 */
export function isRunning(pid: number): boolean {
  try {
    return procStatFields(readFileSync(`/proc/${pid}/stat`, 'utf8'))[0] !== 'Z';
  } catch {
    return false;
  }
}
