import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cgroupCpuLimit, usableCpus } from '~/lib/serving/cpu-quota';

/** A cgroup mount of files under a temporary folder, as the kernel lays it out. */
let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'petlens-cgroup-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, file)), { recursive: true });
  await writeFile(path.join(root, file), text);
}

describe('cgroupCpuLimit', () => {
  it('reads a cgroup v2 quota from cpu.max (a container given 2 CPUs)', async () => {
    await put('cpu.max', '200000 100000\n');
    expect(cgroupCpuLimit(root, '0::/\n')).toBe(2);
  });

  it('takes the tightest quota over the cgroup and its ancestors; "max" is no quota', async () => {
    await put('system.slice/cpu.max', '150000 100000\n');
    await put('system.slice/petlens.service/cpu.max', 'max 100000\n');
    expect(cgroupCpuLimit(root, '0::/system.slice/petlens.service\n')).toBe(1.5);
  });

  it('reads a cgroup v1 quota from the cpu controller, wherever it is mounted; -1 is no quota', async () => {
    await put('cpu,cpuacct/cpu.cfs_period_us', '100000\n');
    await put('cpu,cpuacct/cpu.cfs_quota_us', '-1\n');
    await put('cpu,cpuacct/docker/abc/cpu.cfs_period_us', '100000\n');
    await put('cpu,cpuacct/docker/abc/cpu.cfs_quota_us', '50000\n');
    const self = '12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n0::/\n';
    expect(cgroupCpuLimit(root, self)).toBe(0.5);
    expect(cgroupCpuLimit(root, '4:cpu,cpuacct:/\n0::/\n')).toBeNull();
  });

  it('is null where no cgroup can be read (another OS, /proc not mounted)', () => {
    expect(cgroupCpuLimit(root, null)).toBeNull();
    expect(cgroupCpuLimit(root, '0::/\n')).toBeNull();
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
