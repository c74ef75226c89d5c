/** Test data on disk: empty or placeholder files at the given paths under a folder. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes `content` to each of `files` (paths relative to `root`), creating their folders. */
export async function writeTree(root: string, files: readonly string[], content = ''): Promise<void> {
  for (const file of files) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
}
