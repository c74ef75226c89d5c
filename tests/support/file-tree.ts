/** Test data on disk: empty or placeholder files, and links, at the given paths under a folder. */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Writes `content` to each of `files` (paths relative to `root`), creating their folders. */
export async function writeTree(root: string, files: readonly string[], content = ''): Promise<void> {
  for (const file of files) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
}

/**
 * Makes each link `at` (relative to `root`) point to `target` (relative to `root`, or absolute), creating its folders.
 * The link holds the absolute target, so a relative link (`..`) is made with symlink itself.
 */
export async function linkTree(root: string, links: readonly (readonly [at: string, target: string])[]): Promise<void> {
  for (const [at, target] of links) {
    await mkdir(path.dirname(path.join(root, at)), { recursive: true });
    await symlink(path.resolve(root, target), path.join(root, at));
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
