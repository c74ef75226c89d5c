import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cgroupCpuLimit, usableCpus } from '~/lib/serving/cpu-quota';
import { writeTree } from '../support/file-tree';

/** Cgroup files under a temporary folder, laid out as the kernel shows them, with the mountinfo lines that mount them. */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'petlens-cgroup-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const put = (file: string, text: string) => writeTree(dir, [file], text);

/** One /proc/self/mountinfo line mounting the cgroup `root` at `mountPoint` (under the temporary folder). */
const v2Mount = (root: string, mountPoint: string) => `30 23 0:26 ${root} ${path.join(dir, mountPoint)} rw,nosuid - cgroup2 cgroup2 rw,nsdelegate`;
const v1Mount = (root: string, mountPoint: string, controllers = 'cpu,cpuacct') => `32 31 0:29 ${root} ${path.join(dir, mountPoint)} rw,relatime shared:9 - cgroup cgroup rw,${controllers}`;

describe('cgroupCpuLimit', () => {
  it('reads a container’s cgroup v2 quota, its own cgroup being the mount’s root (a container given 2 CPUs)', async () => {
    await put('cg/cpu.max', '200000 100000\n');
    expect(cgroupCpuLimit('0::/\n', `${v2Mount('/', 'cg')}\n`)).toBe(2);
  });

  it('takes the tightest quota over the cgroup and the ancestors it can see; "max" is no quota', async () => {
    await put('cg/system.slice/cpu.max', '150000 100000\n');
    await put('cg/system.slice/petlens.service/cpu.max', 'max 100000\n');
    expect(cgroupCpuLimit('0::/system.slice/petlens.service\n', v2Mount('/', 'cg'))).toBe(1.5);
  });

  it('reads a cgroup v1 quota where Docker bind-mounts the container’s own cgroup (its path is not under the mount point)', async () => {
    await put('cpu,cpuacct/cpu.cfs_period_us', '100000\n');
    await put('cpu,cpuacct/cpu.cfs_quota_us', '50000\n');
    const self = '12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n0::/\n';
    const mountinfo = [v1Mount('/docker/abc', 'memory', 'memory'), v1Mount('/docker/abc', 'cpu,cpuacct')].join('\n');
    expect(cgroupCpuLimit(self, mountinfo)).toBe(0.5);
  });

  it('reads a cgroup v1 quota on the host’s layout, where the full path is under the mount point; -1 is no quota', async () => {
    await put('cpu/cpu.cfs_period_us', '100000\n');
    await put('cpu/cpu.cfs_quota_us', '-1\n');
    await put('cpu/batch/job/cpu.cfs_period_us', '100000\n');
    await put('cpu/batch/job/cpu.cfs_quota_us', '300000\n');
    expect(cgroupCpuLimit('4:cpu:/batch/job\n', v1Mount('/', 'cpu', 'cpu'))).toBe(3);
    expect(cgroupCpuLimit('4:cpu:/\n', v1Mount('/', 'cpu', 'cpu'))).toBeNull();
  });

  it('reads the mount point alone for a cgroup outside the mount’s root (another cgroup namespace’s "/../x")', async () => {
    await put('cg/cpu.max', '100000 100000\n');
    expect(cgroupCpuLimit('0::/../elsewhere\n', v2Mount('/', 'cg'))).toBe(1);
  });

  it('is null where no cgroup can be read (another OS, /proc not mounted, no cpu controller)', async () => {
    expect(cgroupCpuLimit(null, null)).toBeNull();
    expect(cgroupCpuLimit('0::/\n', '')).toBeNull();
    expect(cgroupCpuLimit('0::/\n', v2Mount('/', 'cg'))).toBeNull();
  });
});

describe('usableCpus', () => {
  it('caps the affinity mask by the quota, rounded up, at least one', () => {
    expect(usableCpus(64, 2)).toBe(2);
    expect(usableCpus(64, 1.5)).toBe(2);
    expect(usableCpus(8, 0.5)).toBe(1);
    expect(usableCpus(2, 8)).toBe(2);
    expect(usableCpus(4, null)).toBe(4);
  });
});
