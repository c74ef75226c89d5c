import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { labelFromPath, listDataset, listDatasetFromFile } from '~/lib/ml/dataset';
import { linkTree, withTempFolder, writeTree } from '../support/file-tree';

describe('labelFromPath', () => {
  it.each([
    ['pets/kaggle/cats/cat.1.jpg', 'cat'],
    ['x/dog/y/z.png', 'dog'],
    ['other/flowers/rose.jpg', 'neither'],
    ['Neither/a.webp', 'neither'],
    // The nearest ancestor wins: a "dogs" folder inside "other" holds dogs.
    ['other/dogs/a.jpg', 'dog'],
    ['cats/other/a.jpg', 'neither'],
    ['photos/a.jpg', null],
    ['cats.jpg', null],
    // Names of Object.prototype's members label nothing (a lookup in a plain object would return a function).
    ['constructor/a.jpg', null],
    ['Constructor/a.jpg', null],
    ['dogs/__proto__/a.jpg', 'dog'],
  ])('%s -> %s', (file, label) => {
    expect(labelFromPath(file)).toBe(label);
  });
});

describe('listDataset', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'petlens-dataset-'));
    // Hidden files and folders and Mac/NAS by-products named like photos, none of them listed.
    const notPhotos = ['dogs/._3.png', 'dogs/.thumbnails/3.png', '__MACOSX/dogs/._3.png', 'a/cats/@eaDir/1.jpg', '.cats/6.jpg'];
    await writeTree(root, ['a/cats/1.jpg', 'a/cats/deep/2.JPEG', 'dogs/3.png', 'other/x/4.webp', 'unsorted/5.jpg', 'cats/notes.txt', ...notPhotos], 'x');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('finds images at any depth, labels them and counts the unlabelled; hidden files and folders are not photos', async () => {
    const listing = await listDataset(root);
    expect(listing.files.map((f) => [f.relativePath, f.trueLabel])).toEqual([
      ['a/cats/1.jpg', 'cat'],
      ['a/cats/deep/2.JPEG', 'cat'],
      ['dogs/3.png', 'dog'],
      ['other/x/4.webp', 'neither'],
    ]);
    expect(listing.unlabeled).toEqual(['unsorted/5.jpg']);
  });

  it('lists in the same order on every machine: by code units, not by the locale', async () => {
    await withTempFolder('petlens-order-', async (dir) => {
      // No two names differ only in case: some file systems would make them one file.
      await writeTree(dir, ['cats/b.jpg', 'cats/C.jpg', 'cats/_c.jpg', 'cats/é.jpg', 'cats/a.jpg'], 'x');
      const names = (await listDataset(dir)).files.map((f) => f.relativePath);
      // What localeCompare gives in English (_c, a, b, C, é) would differ by locale and by ICU build.
      expect(names).toEqual(['cats/C.jpg', 'cats/_c.jpg', 'cats/a.jpg', 'cats/b.jpg', 'cats/é.jpg']);
    });
  });

  it('labels by the root folder’s own name when nothing below it does, but never by the folders above it', async () => {
    expect((await listDataset(path.join(root, 'a/cats'))).files.map((f) => [f.relativePath, f.trueLabel])).toEqual([
      ['1.jpg', 'cat'],
      ['deep/2.JPEG', 'cat'],
    ]);
    // other/x: "other" is above the root, so 4.webp has no label here.
    expect(await listDataset(path.join(root, 'other/x'))).toEqual({ files: [], unlabeled: ['4.webp'], unreadableEntries: [], conflicting: [], repeatedLines: [] });
  });

  it('reads a folder once however many links of one label lead to it (a loop included), and lists a broken link to an image', async () => {
    await withTempFolder('petlens-dataset-links-', async (linked) => {
      await mkdir(path.join(linked, 'dogs'));
      await writeFile(path.join(linked, 'dogs/1.jpg'), 'x');
      await symlink('..', path.join(linked, 'dogs/up')); // dogs/up/dogs/up/… back to the root
      await symlink(path.join(linked, 'nowhere.jpg'), path.join(linked, 'dogs/gone.jpg'));
      const listing = await listDataset(linked);
      expect(listing.files.map((f) => f.relativePath)).toEqual(['dogs/1.jpg', 'dogs/gone.jpg']);
      expect(listing.unreadableEntries).toEqual([]);
    });
  });

  it('lists a photo reached by several links once, under a path that labels it, and reports a broken link that may have been a folder', async () => {
    await withTempFolder('petlens-dataset-links-', async (linked) => {
      await writeTree(linked, ['dogs/inner/1.jpg', 'unsorted/2.jpg'], 'x');
      await linkTree(linked, [
        // "Archive" sorts before "dogs" and labels nothing; "more" links to the unlabelled folder.
        ['Archive', 'dogs'],
        ['more', 'unsorted'],
        ['cats', 'not-mounted'],
        // Two links to one photo file; a broken link that is no photo and no folder.
        ['other/a.jpg', 'unsorted/2.jpg'],
        ['other/b.jpg', 'unsorted/2.jpg'],
        ['other/notes.txt', 'gone.txt'],
      ]);
      const listing = await listDataset(linked);
      expect(listing.files.map((f) => [f.relativePath, f.trueLabel])).toEqual([
        ['dogs/inner/1.jpg', 'dog'],
        ['other/a.jpg', 'neither'],
      ]);
      expect(listing.unlabeled).toEqual([]);
      expect(listing.unreadableEntries).toEqual([{ relativePath: 'cats', reason: expect.stringMatching(/^link not followed: ENOENT/) }]);
      expect(listing.conflicting).toEqual([]);
    });
  });

  it('sets aside a photo filed under two labels, by a link to the file or to its folder, with every labelled path to it', async () => {
    await withTempFolder('petlens-dataset-links-', async (linked) => {
      await writeTree(linked, ['cats/1.jpg', 'cats/2.jpg', 'cats/inner/3.jpg', 'dogs/4.jpg'], 'x');
      await linkTree(linked, [
        ['dogs/1.jpg', 'cats/1.jpg'], // one photo, also filed as a dog
        ['other/inner', 'cats/inner'], // a folder of cats, also filed as neither
        ['cats/2-again.jpg', 'cats/2.jpg'], // the same label twice: no conflict
        // In the folder read under both labels: a broken photo link and a broken link that may be a folder, each once.
        ['cats/inner/broken.jpg', 'gone.jpg'],
        ['cats/inner/disk', 'unmounted'],
      ]);
      const listing = await listDataset(linked);
      expect(listing.files.map((f) => [f.relativePath, f.trueLabel])).toEqual([
        ['cats/2-again.jpg', 'cat'],
        ['dogs/4.jpg', 'dog'],
      ]);
      expect(listing.unreadableEntries).toEqual([{ relativePath: 'cats/inner/disk', reason: expect.stringMatching(/^link not followed: ENOENT/) }]);
      expect(listing.conflicting).toEqual([
        [
          { relativePath: 'cats/1.jpg', label: 'cat' },
          { relativePath: 'dogs/1.jpg', label: 'dog' },
        ],
        [
          { relativePath: 'cats/inner/3.jpg', label: 'cat' },
          { relativePath: 'other/inner/3.jpg', label: 'neither' },
        ],
        // The broken link too: one file, filed two ways.
        [
          { relativePath: 'cats/inner/broken.jpg', label: 'cat' },
          { relativePath: 'other/inner/broken.jpg', label: 'neither' },
        ],
      ]);
      expect(listing.unlabeled).toEqual([]);
    });
  });

  it('reads a list of relative paths, each file once however it is written', async () => {
    const list = path.join(root, 'list.txt');
    await writeFile(list, 'dogs/3.png\n\nunsorted/5.jpg\n./dogs/3.png\nother/../dogs//3.png\n/etc/cats/x.jpg\nx/../../cats/y.jpg\n');
    const listing = await listDatasetFromFile(root, list);
    expect(listing.files).toEqual([{ path: path.join(root, 'dogs/3.png'), relativePath: 'dogs/3.png', trueLabel: 'dog' }]);
    expect(listing.unlabeled).toEqual(['unsorted/5.jpg']);
    expect(listing.repeatedLines).toEqual(['./dogs/3.png', 'other/../dogs//3.png']);
    // Outside the folder: reported, not read.
    expect(listing.unreadableEntries).toEqual([
      { relativePath: '/etc/cats/x.jpg', reason: 'not a path inside the --data folder' },
      { relativePath: 'x/../../cats/y.jpg', reason: 'not a path inside the --data folder' },
    ]);
  });
});
