/**
 * @file Finds labelled images on disk. An image's true label is given by its
 * nearest ancestor folder named cat/cats, dog/dogs or other/neither; images
 * without one are skipped (and counted), never guessed.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Label } from './model-card';

const FOLDER_LABELS: Record<string, Label> = { cat: 'cat', cats: 'cat', dog: 'dog', dogs: 'dog', other: 'neither', neither: 'neither' };

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.avif', '.tif', '.tiff', '.bmp', '.heic', '.heif']);

export interface LabeledFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the data root, with forward slashes. */
  relativePath: string;
  trueLabel: Label;
}

export interface DatasetListing {
  files: LabeledFile[];
  /** Image files with no labelling ancestor folder. */
  unlabeled: string[];
}

/** The label of `relativePath` from its nearest labelling ancestor, if any. */
export function labelFromPath(relativePath: string): Label | null {
  const folders = relativePath.split(/[\\/]/).slice(0, -1);
  for (let i = folders.length - 1; i >= 0; i--) {
    const label = FOLDER_LABELS[folders[i]!.toLowerCase()];
    if (label) return label;
  }
  return null;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(async (entry) => {
        const full = path.join(dir, entry.name);
        // Follow symbolic links: datasets are often assembled from links.
        const target = entry.isSymbolicLink() ? await stat(full).catch(() => null) : entry;
        if (target?.isDirectory()) return walk(full);
        return target?.isFile() && IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase()) ? [full] : [];
      }),
  );
  return nested.flat();
}

function toListing(root: string, relativePaths: readonly string[]): DatasetListing {
  const listing: DatasetListing = { files: [], unlabeled: [] };
  for (const relativePath of relativePaths) {
    const trueLabel = labelFromPath(relativePath);
    if (trueLabel) listing.files.push({ path: path.join(root, relativePath), relativePath, trueLabel });
    else listing.unlabeled.push(relativePath);
  }
  return listing;
}

/** Every image under `root`, at any depth, with its label. */
export async function listDataset(root: string): Promise<DatasetListing> {
  const files = await walk(root);
  return toListing(root, files.map((f) => path.relative(root, f).split(path.sep).join('/')));
}

/** The images named in a list file (one path relative to `root` per line), e.g. training/splits/test.txt. */
export async function listDatasetFromFile(root: string, listFile: string): Promise<DatasetListing> {
  const lines = (await readFile(listFile, 'utf8')).split('\n').map((l) => l.trim()).filter(Boolean);
  return toListing(root, lines);
}
