/**
 * training/split.py, the script behind the committed train / validation / test lists: run again on ../shared/data it
 * writes the same lists (the test split is the project's yardstick and must not drift), and it lists photos the way
 * the TypeScript dataset reader does, without hidden files or archive and NAS debris.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SHARED_DATA } from '../fixtures/images';
import { writeTree } from '../support/file-tree';
import { runTrainingScript } from '../support/python';

const SPLITS = ['train', 'val', 'test'] as const;

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'petlens-split-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function split(data: string, out: string): Promise<Record<(typeof SPLITS)[number], string>> {
  await runTrainingScript('training/split.py', ['--data', data, '--out', out]);
  const lists = await Promise.all(SPLITS.map((name) => readFile(path.join(out, `${name}.txt`), 'utf8')));
  return Object.fromEntries(SPLITS.map((name, i) => [name, lists[i]!])) as Record<(typeof SPLITS)[number], string>;
}

it('writes the committed lists again from ../shared/data', async () => {
  const written = await split(SHARED_DATA, path.join(scratch, 'shared'));
  for (const name of SPLITS) {
    expect(written[name]).toBe(await readFile(path.join('training', 'splits', `${name}.txt`), 'utf8'));
  }
}, 60_000);

it('leaves out hidden files and folders, __MACOSX and @eaDir, as the evaluate CLI does', async () => {
  const data = path.join(scratch, 'data');
  const files = ['pets/cats/a.jpg', 'pets/cats/._a.jpg', 'pets/cats/__MACOSX/b.jpg', 'pets/.thumbs/c.jpg', 'pets/dogs/@eaDir/d.jpg', 'pets/dogs/e.png'];
  await writeTree(data, files);
  const written = await split(data, path.join(scratch, 'small'));
  const listed = SPLITS.flatMap((name) => written[name].split('\n').filter(Boolean)).sort();
  expect(listed).toEqual(['pets/cats/a.jpg', 'pets/dogs/e.png']);
}, 60_000);
