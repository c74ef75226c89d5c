/** Test data on disk: empty or placeholder files at the given paths under a folder. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Writes `content` to each of `files` (paths relative to `root`), creating their folders. */
export async function writeTree(root: string, files: readonly string[], content = ''): Promise<void> {
  for (const file of files) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
}

/** Runs `body` in a new folder under the OS temp dir (named `prefix` + random), removed afterwards whatever happens. */
export async function withTempFolder<T>(prefix: string, body: (folder: string) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(path.join(os.tmpdir(), prefix));
  try {
    return await body(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
