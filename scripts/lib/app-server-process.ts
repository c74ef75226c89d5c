/** Finding the app server among the launcher's descendants (scripts/soak.ts, tests/e2e/shutdown.test.ts). */
import { readdir, readFile } from 'node:fs/promises';

/** The process under `root` whose title is petlens-server (scripts/serve.cjs sets it). */
export async function findAppServer(root: number): Promise<number> {
  const children = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.startsWith('petlens-server')) return pid;
    queue.push(...(children.get(pid) ?? []));
  }
  throw new Error(`no petlens-server process under pid ${root}`);
}
