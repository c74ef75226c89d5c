/**
 * @file Finds labelled images on disk. An image's true label is given by its
 * nearest ancestor folder named cat/cats, dog/dogs or other/neither, up to and
 * including the folder asked for (the folders above it never count); images
 * without one are skipped (and counted), never guessed.
 */
import type { Stats } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { types } from 'node:util';
import type { Label } from './model-card';

// A Map, not an object literal: a folder named "constructor" or "__proto__"
// must not pick up Object.prototype's members as its label.
const FOLDER_LABELS = new Map<string, Label>([
  ['cat', 'cat'],
  ['cats', 'cat'],
  ['dog', 'dog'],
  ['dogs', 'dog'],
  ['other', 'neither'],
  ['neither', 'neither'],
]);

/** The label a folder of this name gives the images under it, if any. */
function folderLabel(name: string): Label | null {
  return FOLDER_LABELS.get(name.toLowerCase()) ?? null;
}

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.jpe', '.jfif', '.png', '.webp', '.gif', '.avif', '.tif', '.tiff', '.bmp', '.heic', '.heif']);

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
  /**
   * What below the root could not be read (relative path, why): folders that
   * could not be listed, and broken links without an extension (perhaps a
   * folder of photos). A broken link with an image's name is in `files`
   * instead, so reading it fails by name; other broken links are not photos.
   */
  unreadableEntries: { relativePath: string; reason: string }[];
  /**
   * Images reached under folders of different labels (links that file one
   * photo as both a cat and a dog): each with every labelled path to it.
   * Their true label is unknown, so they are not in `files`.
   */
  conflicting: { relativePath: string; label: Label }[][];
  /** Lines of a list file (--files) that name a file listed before (`./a.jpg` after `a.jpg`): each file counts once. */
  repeatedLines: string[];
}

/** The label of `relativePath` from its nearest labelling ancestor, if any. */
export function labelFromPath(relativePath: string): Label | null {
  const folders = relativePath.split(/[\\/]/).slice(0, -1);
  for (let i = folders.length - 1; i >= 0; i--) {
    const label = folderLabel(folders[i]!);
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
  return folderLabel(path.basename(path.resolve(root)));
}

interface Walk {
  /** Each image found: its path as walked, its real path (where links lead), and the label that path gives it. */
  files: { path: string; real: string; label: Label | null }[];
  /** `real`: the entry's own real path (its folder's, resolved, and its name), so a folder read twice reports it once. */
  unreadableEntries: { path: string; real: string; reason: string }[];
  /** Folders read so far (real path), and the labels the paths they were read by gave them (null: none). */
  read: Map<string, Set<Label | null>>;
}

// isNativeError, not instanceof: fs errors may come from another realm (a test runner's VM context).
const messageOf = (error: unknown) => (types.isNativeError(error) ? error.message : String(error));

/** A link's real path and what it leads to, or why it cannot be followed. */
async function followLink(link: string): Promise<{ real: string; target: Stats } | string> {
  try {
    const real = await realpath(link);
    return { real, target: await stat(real) };
  } catch (error) {
    return messageOf(error);
  }
}

/**
 * Orders names by their UTF-16 code units (as Python's `sorted` does, but for characters beyond U+FFFF): the same
 * order on every machine. `localeCompare` follows the process's locale, so listings, the tie-breaks of listDataset
 * and evaluation reports could differ between hosts.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `real`: where `dir` really is, links resolved (from the parent's listing;
 * for the root, one realpath). `label`: what files directly in `dir` are, by
 * the path walked (its nearest labelling folder, or the root's own name), or
 * null. `ancestors`: the real paths of the folders above `dir` on this path;
 * a link back up to one of them (a loop) is not followed. A folder that
 * several links lead to is read once per label those paths give it (at
 * most four times: none, cat, dog, neither), and never again by a path that
 * labels nothing: listDataset then keeps one path per file, a labelled one
 * where there is one, and sets aside a file labelled two ways.
 */
async function walk(dir: string, real: string, label: Label | null, ancestors: ReadonlySet<string>, state: Walk): Promise<void> {
  if (ancestors.has(real)) return;
  const before = state.read.get(real) ?? new Set<Label | null>();
  if (before.has(label) || (label === null && before.size > 0)) return;
  state.read.set(real, before.add(label));
  const chain = new Set(ancestors).add(real);
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => compareCodeUnits(a.name, b.name));
  // Follow symbolic links: datasets are often assembled from links. The links
  // of a folder are resolved together: one at a time is slow on link-built sets.
  const resolved = await Promise.all(
    entries.map((entry) => (entry.isSymbolicLink() ? followLink(path.join(dir, entry.name)) : { real: path.join(real, entry.name), target: entry })),
  );
  for (const [i, entry] of entries.entries()) {
    if (isHidden(entry.name)) continue;
    const full = path.join(dir, entry.name);
    const extension = path.extname(entry.name).toLowerCase();
    const link = resolved[i]!;
    if (typeof link === 'string') {
      // A broken link with an image's name is listed, so that reading it fails
      // with an error line that names it; one without an extension may have
      // been a folder of photos (on a disk not mounted) and is reported, never
      // dropped in silence. Others (a stale notes.txt link) are not photos.
      if (IMAGE_EXTENSIONS.has(extension)) state.files.push({ path: full, real: path.join(real, entry.name), label });
      else if (extension === '') state.unreadableEntries.push({ path: full, real: path.join(real, entry.name), reason: `link not followed: ${link}` });
    } else if (link.target.isDirectory()) {
      await walk(full, link.real, folderLabel(entry.name) ?? label, chain, state).catch((error: unknown) => {
        state.unreadableEntries.push({ path: full, real: path.join(real, entry.name), reason: `folder not read: ${messageOf(error)}` });
      });
    } else if (IMAGE_EXTENSIONS.has(extension) && link.target.isFile()) {
      state.files.push({ path: full, real: link.real, label });
    }
  }
}

/**
 * Not photos, though named like them: hidden files and folders (a dot first:
 * macOS's ._cat.jpg resource forks on exFAT or SMB, .thumbnails), the
 * __MACOSX folder of zip archives made on a Mac, Synology's @eaDir thumbnails.
 */
function isHidden(name: string): boolean {
  return name.startsWith('.') || name === '__MACOSX' || name === '@eaDir';
}

/** A test that is true the first time it is given a key, false after. */
function onlyOnce(): (key: string) => boolean {
  const seen = new Set<string>();
  return (key) => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}

const relativeTo = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');

/** Every image under `root`, at any depth, with its label. Throws when `root` itself cannot be read. */
export async function listDataset(root: string): Promise<DatasetListing> {
  const state: Walk = { files: [], unreadableEntries: [], read: new Map() };
  await walk(root, await realpath(root), rootLabel(root), new Set(), state);
  // The labels each file (by real path) is reached under.
  const labelsOf = new Map<string, Set<Label>>();
  for (const file of state.files) if (file.label !== null) labelsOf.set(file.real, (labelsOf.get(file.real) ?? new Set()).add(file.label));
  // One entry per file when links lead to it by several paths: the first path
  // (in walk order: each folder's entries by code units) that labels it, else
  // the first one. Which path comes first must not decide whether a photo counts, nor which
  // label it has: one filed under two labels is set aside with all its paths.
  const firstTime = onlyOnce();
  const files: LabeledFile[] = [];
  const conflicting = new Map<string, { relativePath: string; label: Label }[]>();
  for (const file of state.files) {
    if (file.label === null) continue;
    const relativePath = relativeTo(root, file.path);
    if (labelsOf.get(file.real)!.size > 1) {
      const paths = conflicting.get(file.real) ?? [];
      conflicting.set(file.real, paths);
      paths.push({ relativePath, label: file.label });
    }
    else if (firstTime(file.real)) files.push({ path: file.path, relativePath, trueLabel: file.label });
  }
  const firstReport = onlyOnce();
  const unlabeled = state.files.filter((file) => file.label === null && !labelsOf.has(file.real) && firstTime(file.real)).map((file) => relativeTo(root, file.path));
  return {
    files,
    unlabeled,
    // A folder read under two labels reports what it could not read once, by the first path to it.
    unreadableEntries: state.unreadableEntries
      .filter((entry) => firstReport(entry.real))
      .map((entry) => ({ relativePath: relativeTo(root, entry.path), reason: entry.reason })),
    conflicting: [...conflicting.values()],
    repeatedLines: [],
  };
}

/**
 * The images named in a list file (one path relative to `root` per line),
 * e.g. training/splits/test.txt. A path is taken as written once normalised
 * (`./a.jpg`, `x/../a.jpg` and `a.jpg` are one file, counted once); one that
 * is absolute or leads out of `root` is reported, not read. Links are not
 * followed here, so a photo filed under two labels by links counts twice.
 */
export async function listDatasetFromFile(root: string, listFile: string): Promise<DatasetListing> {
  const lines = (await readFile(listFile, 'utf8')).split('\n').map((l) => l.trim()).filter(Boolean);
  const labelOfRoot = rootLabel(root);
  const listing: DatasetListing = { files: [], unlabeled: [], unreadableEntries: [], conflicting: [], repeatedLines: [] };
  const listed = new Set<string>();
  for (const line of lines) {
    const relativePath = path.posix.normalize(line);
    if (listed.has(relativePath)) {
      listing.repeatedLines.push(line);
      continue;
    }
    listed.add(relativePath);
    if (path.posix.isAbsolute(relativePath) || relativePath === '.' || relativePath === '..' || relativePath.startsWith('../')) {
      listing.unreadableEntries.push({ relativePath: line, reason: 'not a path inside the --data folder' });
      continue;
    }
    const trueLabel = labelFromPath(relativePath) ?? labelOfRoot;
    if (trueLabel) listing.files.push({ path: path.join(root, relativePath), relativePath, trueLabel });
    else listing.unlabeled.push(relativePath);
  }
  return listing;
}
