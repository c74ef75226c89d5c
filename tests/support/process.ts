import { readFileSync } from 'node:fs';
import { procStatFields } from '~/lib/proc';

/**
 * Whether a process with this pid is running: its /proc entry exists and it is not a zombie (a process whose parent
 * died is reaped by whatever adopts it, which on some hosts may take its time).
 */
export function isRunning(pid: number): boolean {
  try {
    return procStatFields(readFileSync(`/proc/${pid}/stat`, 'utf8'))[0] !== 'Z';
  } catch {
    return false;
  }
}
