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

/** A cgroup hierarchy as mounted here: which cgroup its `root` is, and where (`mountPoint`) it can be read. */
interface CgroupMount {
  version: 1 | 2;
  /** For v1, the controllers the hierarchy holds (its super options). */
  controllers: string[];
  root: string;
  mountPoint: string;
}

/** mountinfo escapes spaces, tabs, newlines and backslashes in paths as octal (\040). */
const unescapeMountPath = (text: string) => text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));

/**
 * The cgroup mounts in /proc/self/mountinfo: "id parent major:minor root
 * mount-point options [optional fields] - type source super-options".
 */
function cgroupMounts(mountinfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (!before || !after) continue;
    const fields = before.split(' ');
    const [type, , superOptions = ''] = after.split(' ');
    if (fields.length < 5 || (type !== 'cgroup' && type !== 'cgroup2')) continue;
    mounts.push({
      version: type === 'cgroup2' ? 2 : 1,
      controllers: type === 'cgroup' ? superOptions.split(',') : [],
      root: unescapeMountPath(fields[3]!),
      mountPoint: unescapeMountPath(fields[4]!),
    });
  }
  return mounts;
}

/**
 * The folders of `cgroupPath` and of its ancestors that `mount` shows,
 * innermost first. A container usually sees its own cgroup as the mount's
 * root (/docker/<id> mounted at /sys/fs/cgroup/cpu): the ancestors above it
 * are out of sight, and its quota is on the mount point itself. A path
 * outside the mount's root (a cgroup namespace's "/../x") reads the mount
 * point alone.
 */
function visibleFolders(cgroupPath: string, mount: CgroupMount): string[] {
  const root = mount.root === '/' ? '' : mount.root;
  if (cgroupPath !== root && !cgroupPath.startsWith(`${root}/`)) return [mount.mountPoint];
  const folders = [];
  for (let relative = cgroupPath.slice(root.length) || '/'; ; relative = path.posix.dirname(relative)) {
    folders.push(path.posix.join(mount.mountPoint, relative));
    if (relative === '/' || relative === '.') return folders;
  }
}

/** CPUs a quota / period pair allows, or null for none (unset, "max", -1, or not a number). */
function cpus(quota: string | undefined, period: string | undefined): number | null {
  const q = Number(quota);
  const p = Number(period);
  return Number.isFinite(q) && Number.isFinite(p) && q > 0 && p > 0 ? q / p : null;
}

/** The quota set on one cgroup folder, in CPUs, or null. */
function folderLimit(folder: string, version: 1 | 2, read: ReadText): number | null {
  if (version === 2) {
    // "<quota|max> <period>"
    const [quota, period] = (read(path.posix.join(folder, 'cpu.max')) ?? '').trim().split(/\s+/);
    return cpus(quota, period);
  }
  return cpus(read(path.posix.join(folder, 'cpu.cfs_quota_us'))?.trim(), read(path.posix.join(folder, 'cpu.cfs_period_us'))?.trim());
}

/**
 * The CPUs a cgroup quota allows this process: the tightest over its cgroup
 * and the ancestors it can see, v2 or v1 (each hierarchy found through
 * mountinfo, as libuv 1.49+ and the JDK do), or null where no quota is set or
 * none can be read. The texts of /proc/self/cgroup and /proc/self/mountinfo
 * and the reader are parameters for tests.
 */
export function cgroupCpuLimit(self = readText('/proc/self/cgroup'), mountinfo = readText('/proc/self/mountinfo'), read: ReadText = readText): number | null {
  const mounts = cgroupMounts(mountinfo ?? '');
  const limits: number[] = [];
  for (const line of (self ?? '').split('\n')) {
    // "hierarchy-id:controllers:path"; the path may itself hold colons. v2 is "0::path".
    const [id, controllers, ...rest] = line.split(':');
    if (controllers === undefined || rest.length === 0) continue;
    const cgroupPath = rest.join(':');
    const v2 = id === '0' && controllers === '';
    const mount = mounts.find((m) => (v2 ? m.version === 2 : m.version === 1 && m.controllers.includes('cpu') && controllers.split(',').includes('cpu')));
    if (!mount) continue;
    for (const folder of visibleFolders(cgroupPath, mount)) {
      const limit = folderLimit(folder, mount.version, read);
      if (limit !== null) limits.push(limit);
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
