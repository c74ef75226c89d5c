/**
 * @file Reads Qt's binary resource bundles (`.rcc` files, made by Qt's `rcc
 * -binary`). Some Debian packages ship their pictures only inside them (e.g.
 * gcompris-qt-data), so the outside-photos set (scripts/evaluate-outside.sh)
 * needs to take single files out of one.
 *
 * Layout (Qt's src/corelib/io/qresource.cpp): a header `qres`, the format
 * version, then the offsets of three tables. The tree is an array of nodes
 * (node 0 is the root); a directory node names a run of child nodes, a file
 * node the offset of its bytes in the data table. Names are UTF-16BE strings.
 * A file's bytes are stored as-is, zlib-compressed in qCompress's framing, or
 * zstd-compressed (not supported here: Node 20's zlib has no zstd).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { inflateSync } from 'node:zlib';

const FLAG_COMPRESSED = 0x1;
const FLAG_DIRECTORY = 0x2;
const FLAG_COMPRESSED_ZSTD = 0x4;

export class QtResourceError extends Error {
  override name = 'QtResourceError';
}

/** Every file in a Qt resource bundle, by its path inside it (`/a/b.webp`). */
export function readQtResources(bundle: Buffer): Map<string, Buffer> {
  if (bundle.byteLength < 20 || bundle.toString('latin1', 0, 4) !== 'qres') {
    throw new QtResourceError('not a Qt resource bundle (no "qres" header)');
  }
  const version = bundle.readUInt32BE(4);
  if (version < 1 || version > 3) throw new QtResourceError(`unknown Qt resource format version ${version}`);
  const treeOffset = bundle.readUInt32BE(8);
  const dataOffset = bundle.readUInt32BE(12);
  const namesOffset = bundle.readUInt32BE(16);
  // Version 2 added each file's modification time (8 bytes) to every node.
  const nodeSize = version >= 2 ? 22 : 14;

  const nameAt = (offset: number): string => {
    const start = namesOffset + offset;
    const length = bundle.readUInt16BE(start); // in UTF-16 code units; a 4-byte hash follows
    return Buffer.from(bundle.subarray(start + 6, start + 6 + length * 2)).swap16().toString('utf16le');
  };

  const files = new Map<string, Buffer>();
  const visit = (node: number, parentPath: string, depth: number): void => {
    if (depth > 64) throw new QtResourceError('resource tree too deep (corrupt bundle?)');
    const at = treeOffset + node * nodeSize;
    const flags = bundle.readUInt16BE(at + 4);
    const path = node === 0 ? '' : `${parentPath}/${nameAt(bundle.readUInt32BE(at))}`;
    if (flags & FLAG_DIRECTORY) {
      const count = bundle.readUInt32BE(at + 6);
      const first = bundle.readUInt32BE(at + 10);
      for (let child = first; child < first + count; child++) visit(child, path, depth + 1);
      return;
    }
    const start = dataOffset + bundle.readUInt32BE(at + 10);
    const stored = bundle.subarray(start + 4, start + 4 + bundle.readUInt32BE(start));
    if (flags & FLAG_COMPRESSED_ZSTD) throw new QtResourceError(`${path}: zstd-compressed entries are not supported`);
    // qCompress: a 4-byte big-endian uncompressed size, then a zlib stream.
    files.set(path, flags & FLAG_COMPRESSED ? inflateSync(stored.subarray(4)) : Buffer.from(stored));
  };
  visit(0, '', 0);
  return files;
}

/**
 * Writes `paths` (all files when empty) of a read bundle under outDir, keeping
 * their paths. Returns one line per file not written: not in the bundle, or a
 * name (`..`) that would land outside outDir.
 */
export async function writeQtResources(files: Map<string, Buffer>, outDir: string, paths: string[] = []): Promise<string[]> {
  const problems: string[] = [];
  const root = resolve(outDir);
  for (const path of paths.length > 0 ? paths : [...files.keys()]) {
    const bytes = files.get(path);
    const target = resolve(root, `.${path}`);
    if (!bytes) {
      problems.push(`no ${path} inside`);
    } else if (!target.startsWith(root + sep)) {
      problems.push(`${path} points outside ${outDir}; not written`);
    } else {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, bytes);
    }
  }
  return problems;
}
