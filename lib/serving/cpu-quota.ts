/**
 * @file How many CPUs this process may really use. os.availableParallelism()
 * counts the CPUs of the affinity mask, and on Node 20 (libuv before 1.49)
 * it ignores a cgroup CPU quota: a container given 2 CPUs on a 64-core host
 * would start 32 inference workers, each with its model and threads, and be
 * throttled (or killed for memory) for it. Plain Node, no dependencies.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Reads a file as text, or null when it cannot be read (cgroup files come and go with the controllers mounted). */
type ReadText = (file: string) => string | null;

const readText: ReadText = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** `/a/b` -> `/a/b`, `/a`, `/`: a quota set on any ancestor cgroup limits this one too. */
function selfAndAncestors(cgroupPath: string): string[] {
  const chain = [];
  for (let at = path.posix.normalize(cgroupPath || '/'); ; at = path.posix.dirname(at)) {
    chain.push(at);
    if (at === '/') return chain;
  }
}

/** CPUs a quota / period pair allows, or null for none (unset, "max", -1, or not a number). */
function cpus(quota: string | undefined, period: string | undefined): number | null {
  const q = Number(quota);
  const p = Number(period);
  return Number.isFinite(q) && Number.isFinite(p) && q > 0 && p > 0 ? q / p : null;
}

/**
 * The CPUs a cgroup quota allows this process (the tightest over its cgroup
 * and their ancestors, v2 or v1), or null where no quota is set or none can be
 * read. `root` is where the cgroup file systems are mounted and `self` the
 * text of /proc/self/cgroup (parameters for tests).
 */
export function cgroupCpuLimit(root = '/sys/fs/cgroup', self: string | null = readText('/proc/self/cgroup'), read: ReadText = readText): number | null {
  const limits: number[] = [];
  for (const line of (self ?? '').split('\n')) {
    // "hierarchy-id:controllers:path"; the path may itself hold colons.
    const [, controllers, ...rest] = line.split(':');
    if (controllers === undefined || rest.length === 0) continue;
    const cgroupPath = rest.join(':');
    if (line.startsWith('0::')) {
      // cgroup v2: "<quota|max> <period>" in cpu.max.
      for (const at of selfAndAncestors(cgroupPath)) {
        const [quota, period] = (read(path.posix.join(root, at, 'cpu.max')) ?? '').trim().split(/\s+/);
        const limit = cpus(quota, period);
        if (limit !== null) limits.push(limit);
      }
    } else if (controllers.split(',').includes('cpu')) {
      // cgroup v1: the cpu controller's mount, named "cpu" or "cpu,cpuacct" (often both, one linking to the other).
      const mount = ['cpu', 'cpu,cpuacct', 'cpuacct,cpu'].map((name) => path.posix.join(root, name)).find((dir) => read(path.posix.join(dir, 'cpu.cfs_period_us')) !== null);
      if (!mount) continue;
      for (const at of selfAndAncestors(cgroupPath)) {
        const dir = path.posix.join(mount, at);
        const limit = cpus(read(path.posix.join(dir, 'cpu.cfs_quota_us'))?.trim(), read(path.posix.join(dir, 'cpu.cfs_period_us'))?.trim());
        if (limit !== null) limits.push(limit);
      }
    }
  }
  return limits.length > 0 ? Math.min(...limits) : null;
}

/**
 * The CPUs to size thread pools by: the affinity mask, capped by a cgroup
 * quota (rounded up: 1.5 CPUs keep two threads busy half the time each), at
 * least one.
 */
export function usableCpus(affinity = os.availableParallelism(), quota = cgroupCpuLimit()): number {
  return Math.max(1, quota === null ? affinity : Math.min(affinity, Math.ceil(quota)));
}
