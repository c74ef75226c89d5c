/**
 * @file Finds labelled images on disk. An image's true label is given by its
 * nearest ancestor folder named cat/cats, dog/dogs or other/neither, up to and
 * including the folder asked for (the folders above it never count); images
 * without one are skipped (and counted), never guessed.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
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
  /** Folders below the root that could not be read (relative path, why); the rest was listed. */
  unreadableFolders: { relativePath: string; reason: string }[];
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

/**
 * A labelling root folder's own label (`--data photos/cats`): the label of
 * files under `root` that have no labelling folder of their own below it.
 * Folders above the root do not count: where a data set happens to be kept
 * (say /srv/other/…) must not label it.
 */
function rootLabel(root: string): Label | null {
  return FOLDER_LABELS[path.basename(path.resolve(root)).toLowerCase()] ?? null;
}

interface Walk {
  files: string[];
  unreadableFolders: { path: string; reason: string }[];
  /** Real paths of the folders read so far: a link back up the tree (a loop), or a second link to one folder, is read once. */
  visited: Set<string>;
}

async function walk(dir: string, state: Walk): Promise<void> {
  const real = await realpath(dir);
  if (state.visited.has(real)) return;
  state.visited.add(real);
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  // Follow symbolic links: datasets are often assembled from links. A broken
  // link with an image's name is listed all the same, so that reading it
  // fails with an error line that names it, not in silence. The links of a
  // folder are resolved together: one at a time is slow on link-built sets.
  const targets = await Promise.all(entries.map((entry) => (entry.isSymbolicLink() ? stat(path.join(dir, entry.name)).catch(() => null) : entry)));
  for (const [i, entry] of entries.entries()) {
    const full = path.join(dir, entry.name);
    const isImageName = IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase());
    const target = targets[i] ?? null;
    if (target?.isDirectory()) {
      await walk(full, state).catch((error: unknown) => {
        state.unreadableFolders.push({ path: full, reason: error instanceof Error ? error.message : String(error) });
      });
    } else if (isImageName && (target === null || target.isFile())) {
      state.files.push(full);
    }
  }
}

function toListing(root: string, relativePaths: readonly string[]): DatasetListing {
  const labelOfRoot = rootLabel(root);
  const listing: DatasetListing = { files: [], unlabeled: [], unreadableFolders: [] };
  for (const relativePath of relativePaths) {
    const trueLabel = labelFromPath(relativePath) ?? labelOfRoot;
    if (trueLabel) listing.files.push({ path: path.join(root, relativePath), relativePath, trueLabel });
    else listing.unlabeled.push(relativePath);
  }
  return listing;
}

const relativeTo = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');

/** Every image under `root`, at any depth, with its label. Throws when `root` itself cannot be read. */
export async function listDataset(root: string): Promise<DatasetListing> {
  const state: Walk = { files: [], unreadableFolders: [], visited: new Set() };
  await walk(root, state);
  const listing = toListing(root, state.files.map((file) => relativeTo(root, file)));
  listing.unreadableFolders = state.unreadableFolders.map((folder) => ({ relativePath: relativeTo(root, folder.path), reason: folder.reason }));
  return listing;
}

/** The images named in a list file (one path relative to `root` per line), e.g. training/splits/test.txt. */
export async function listDatasetFromFile(root: string, listFile: string): Promise<DatasetListing> {
  const lines = (await readFile(listFile, 'utf8')).split('\n').map((l) => l.trim()).filter(Boolean);
  return toListing(root, lines);
}
