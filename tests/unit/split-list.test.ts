/**
 * A split file (training/splits/*.txt) is read by training (training/split.py's read_split) and by the TypeScript
 * evaluation (lib/ml/dataset.ts's listDatasetFromFile), and each digests what it read (the model card's data digests).
 * The two must read the same photos from the same lines, or the card's digests would describe different sets.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { listDatasetFromFile } from '~/lib/ml/dataset';
import { withTempFolder } from '../support/file-tree';
import { runTrainingSnippet } from '../support/python';

/** training/split.py's read_split of `listFile`: the photos, or the message it stops with. */
async function pythonReadSplit(listFile: string): Promise<{ files: string[] } | { refused: string }> {
  const script = ['import json', 'from pathlib import Path', 'from split import read_split', 'print(json.dumps(read_split(Path(sys.argv[1]))))'];
  const python = await runTrainingSnippet(script, [listFile]);
  return python.code === 0 ? { files: JSON.parse(python.stdout) as string[] } : { refused: python.stderr.trim() };
}

it('reads the same photos from a list as the TypeScript evaluation: trimmed, normalised, each once', async () => {
  await withTempFolder('petlens-split-', async (root) => {
    const listFile = path.join(root, 'list.txt');
    // First, after a byte-order mark as some editors write one.
    const lines = ['\uFEFFpets/cats/a.jpg', '  ./pets/cats/a.jpg', 'pets/dogs/../cats/b.jpg', '', 'pets//dogs/c.jpg  ', 'other/x y.png', 'pets/cats/b.jpg', ''];
    await writeFile(listFile, lines.join('\n'));
    const typescript = (await listDatasetFromFile(root, listFile)).files.map((file) => file.relativePath);
    expect(typescript).toEqual(['pets/cats/a.jpg', 'pets/cats/b.jpg', 'pets/dogs/c.jpg', 'other/x y.png']);
    await expect(pythonReadSplit(listFile)).resolves.toEqual({ files: typescript });
  });
}, 30_000);

it('refuses a line that leads out of the data folder, as the TypeScript evaluation does', async () => {
  await withTempFolder('petlens-split-', async (root) => {
    for (const line of ['../elsewhere/a.jpg', '/etc/passwd', 'pets/../../a.jpg']) {
      const listFile = path.join(root, 'list.txt');
      await writeFile(listFile, `pets/cats/a.jpg\n${line}\n`);
      const listing = await listDatasetFromFile(root, listFile);
      expect(listing.unreadableEntries).toEqual([{ relativePath: line, reason: 'not a path inside the --data folder' }]);
      const python = await pythonReadSplit(listFile);
      expect(python).toEqual({ refused: expect.stringContaining(`list.txt:2: '${line}' is not a path inside the data folder`) });
    }
  });
}, 30_000);
