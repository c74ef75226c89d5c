/** Finding the app server among the launcher's descendants (scripts/soak.ts, tests/e2e/shutdown.test.ts, tests/e2e/supervisor.test.ts). */
import { readdir, readFile } from 'node:fs/promises';
import { procStatFields } from '~/lib/proc';

/** Every live process's pid, with its parent's pid. */
export async function processParents(): Promise<Map<number, number>> {
  const parentOf = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(procStatFields(stat)[1]));
    } catch {
      // gone
    }
  }
  return parentOf;
}

/** The process under `root` whose title is petlens-server (scripts/serve.cjs sets it), or null while there is none. */
export async function appServerUnder(root: number): Promise<number | null> {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of await processParents()) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.startsWith('petlens-server')) return pid;
    queue.push(...(children.get(pid) ?? []));
  }
  return null;
}

/** appServerUnder, for callers that need the server to be there. */
export async function findAppServer(root: number): Promise<number> {
  const pid = await appServerUnder(root);
  if (pid === null) throw new Error(`no petlens-server process under pid ${root}`);
  return pid;
}
