/**
 * @file Linux's /proc/PID/stat, read by the embedded database's owner check, the launcher's process-tree walk and
 * the tests that watch processes end.
 */

/**
 * The fields of a /proc/PID/stat line after the command name: [0] the state ('Z' for a zombie), [1] the parent's
 * pid, [19] the start time in clock ticks since boot. The command name, in parentheses, may itself hold spaces and
 * parentheses, so the fields are counted from the last ')'.
 */
export function procStatFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
