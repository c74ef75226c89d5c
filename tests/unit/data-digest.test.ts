/**
 * The digest of a set of photos that model cards record: training/provenance.py digests the training and validation
 * photos, lib/ml/data-digest.ts the test photos, so the two must give the same digest for the same files, and it must
 * change with any name or byte.
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DATA_DIGEST_ALGORITHM, dataDigest } from '~/lib/ml/data-digest';
import { withTempFolder, writeTree } from '../support/file-tree';
import { runTrainingSnippet } from '../support/python';

// U+FF21 sorts before U+1F600 by code point (Python's order) but after it by UTF-16 code unit (JavaScript's default).
const NAMES = ['pets/cats/b.jpg', 'pets/cats/a.jpg', 'pets/dogs/\uFF21.jpg', 'pets/dogs/\u{1F600}.jpg', 'other/x y.png'];

const filesUnder = (root: string, names: readonly string[]) => names.map((relativePath) => ({ path: path.join(root, relativePath), relativePath }));

async function pythonDigest(root: string, names: readonly string[]): Promise<{ digest: string; algorithm: string }> {
  const script = [
    'import json',
    'from pathlib import Path',
    'from provenance import DATA_DIGEST_ALGORITHM, data_digest',
    'root, names = Path(sys.argv[1]), json.loads(sys.argv[2])',
    "print(json.dumps({'digest': data_digest((n, root / n) for n in names), 'algorithm': DATA_DIGEST_ALGORITHM}))",
  ];
  const python = await runTrainingSnippet(script, [root, JSON.stringify(names)]);
  if (python.code !== 0) throw new Error(`python failed: ${python.stderr}`);
  return JSON.parse(python.stdout) as { digest: string; algorithm: string };
}

async function writePhotos(root: string) {
  // Distinct bytes per file, so that swapping two files' contents shows.
  for (const name of NAMES) await writeTree(root, [name], `bytes of ${name}`);
}

it('gives the same digest and algorithm name in TypeScript as in the training code', async () => {
  await withTempFolder('petlens-digest-', async (root) => {
    await writePhotos(root);
    const python = await pythonDigest(root, NAMES);
    expect(await dataDigest(filesUnder(root, NAMES))).toBe(python.digest);
    expect(python.algorithm).toBe(DATA_DIGEST_ALGORITHM);
  });
}, 30_000);

it('does not depend on the order the files are listed in', async () => {
  await withTempFolder('petlens-digest-', async (root) => {
    await writePhotos(root);
    expect(await dataDigest(filesUnder(root, [...NAMES].reverse()))).toBe(await dataDigest(filesUnder(root, NAMES)));
  });
});

it('changes when a byte of a photo changes, when a photo moves, and when one is added', async () => {
  await withTempFolder('petlens-digest-', async (root) => {
    await writePhotos(root);
    const before = await dataDigest(filesUnder(root, NAMES));

    await writeFile(path.join(root, 'pets/cats/a.jpg'), 'bytes of pets/cats/a.jpG');
    const edited = await dataDigest(filesUnder(root, NAMES));
    expect(edited).not.toBe(before);

    await rename(path.join(root, 'pets/cats/a.jpg'), path.join(root, 'pets/dogs/a.jpg'));
    const moved = NAMES.map((name) => (name === 'pets/cats/a.jpg' ? 'pets/dogs/a.jpg' : name));
    const afterMove = await dataDigest(filesUnder(root, moved));
    expect(new Set([before, edited, afterMove]).size).toBe(3);

    await writeTree(root, ['pets/cats/c.jpg'], 'new');
    expect(await dataDigest(filesUnder(root, [...moved, 'pets/cats/c.jpg']))).not.toBe(afterMove);
  });
});
