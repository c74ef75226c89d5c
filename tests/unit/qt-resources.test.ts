/**
 * Reading Qt resource bundles (.rcc), which the outside-photos set and the
 * training script take pictures out of. The bundles here are written byte by
 * byte after Qt's layout (qresource.cpp), in both node formats.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { QtResourceError, readQtResources, writeQtResources } from '~/scripts/lib/qt-resources';

interface Entry {
  name: string;
  /** Children of a directory, or the bytes of a file. */
  content: Entry[] | Buffer;
  compress?: boolean;
}

/** A bundle whose root holds `entries`; nodes laid out breadth-first as rcc does. */
function bundle(entries: Entry[], version: 1 | 2 = 2): Buffer {
  const nodeSize = version >= 2 ? 22 : 14;
  const names: Buffer[] = [];
  const data: Buffer[] = [];
  const nameOffset = (name: string) => {
    const offset = names.reduce((sum, b) => sum + b.byteLength, 0);
    const utf16 = Buffer.from(name, 'utf16le').swap16();
    const header = Buffer.alloc(6);
    header.writeUInt16BE(name.length, 0);
    header.writeUInt32BE(0, 2); // hash: not checked by readers of whole bundles
    names.push(header, utf16);
    return offset;
  };
  const dataOffset = (bytes: Buffer, compress: boolean) => {
    const offset = data.reduce((sum, b) => sum + b.byteLength, 0);
    let stored = bytes;
    if (compress) {
      const size = Buffer.alloc(4);
      size.writeUInt32BE(bytes.byteLength);
      stored = Buffer.concat([size, deflateSync(bytes)]);
    }
    const length = Buffer.alloc(4);
    length.writeUInt32BE(stored.byteLength);
    data.push(length, stored);
    return offset;
  };

  const nodes: Buffer[] = [];
  const node = () => Buffer.alloc(nodeSize);
  const root = node();
  root.writeUInt16BE(0x2, 4);
  root.writeUInt32BE(entries.length, 6);
  root.writeUInt32BE(1, 10);
  nodes.push(root);
  // Breadth-first: each directory's children are consecutive nodes.
  let queue: Array<{ entry: Entry; slot: Buffer }> = entries.map((entry) => ({ entry, slot: node() }));
  nodes.push(...queue.map((q) => q.slot));
  while (queue.length > 0) {
    const next: typeof queue = [];
    for (const { entry, slot } of queue) {
      slot.writeUInt32BE(nameOffset(entry.name), 0);
      if (Array.isArray(entry.content)) {
        slot.writeUInt16BE(0x2, 4);
        slot.writeUInt32BE(entry.content.length, 6);
        slot.writeUInt32BE(nodes.length, 10);
        const children = entry.content.map((child) => ({ entry: child, slot: node() }));
        nodes.push(...children.map((c) => c.slot));
        next.push(...children);
      } else {
        slot.writeUInt16BE(entry.compress ? 0x1 : 0, 4);
        slot.writeUInt32BE(dataOffset(entry.content, entry.compress ?? false), 10);
      }
    }
    queue = next;
  }

  const tree = Buffer.concat(nodes);
  const dataTable = Buffer.concat(data);
  const header = Buffer.alloc(20);
  header.write('qres', 0, 'latin1');
  header.writeUInt32BE(version, 4);
  header.writeUInt32BE(20, 8);
  header.writeUInt32BE(20 + tree.byteLength, 12);
  header.writeUInt32BE(20 + tree.byteLength + dataTable.byteLength, 16);
  return Buffer.concat([header, tree, dataTable, ...names]);
}

const photo = Buffer.from('not really a webp, but bytes all the same');
const readme = Buffer.from('Copyright: someone\nLicense: CC0-1.0\n');

describe('readQtResources', () => {
  it.each([1, 2] as const)('lists every file of a version %i bundle by path, stored and zlib-compressed', (version) => {
    const files = readQtResources(
      bundle(
        [
          { name: 'gcompris', content: [{ name: 'erase', content: [{ name: 'alpaca.webp', content: photo, compress: true }, { name: 'README', content: readme }] }] },
          { name: 'top.txt', content: Buffer.from('top') },
        ],
        version,
      ),
    );
    expect([...files.keys()].sort()).toEqual(['/gcompris/erase/README', '/gcompris/erase/alpaca.webp', '/top.txt']);
    expect(files.get('/gcompris/erase/alpaca.webp')).toEqual(photo);
    expect(files.get('/gcompris/erase/README')).toEqual(readme);
    expect(files.get('/top.txt')?.toString()).toBe('top');
  });

  it('keeps names outside Latin-1 intact (UTF-16 names)', () => {
    const files = readQtResources(bundle([{ name: 'éléphant-象.webp', content: photo }]));
    expect([...files.keys()]).toEqual(['/éléphant-象.webp']);
  });

  it('refuses files that are not bundles, and unknown versions', () => {
    expect(() => readQtResources(Buffer.from('\x89PNG\r\n\x1a\n0000000000000000'))).toThrow(QtResourceError);
    expect(() => readQtResources(Buffer.alloc(4))).toThrow(/not a Qt resource bundle/);
    const future = bundle([{ name: 'a', content: photo }]);
    future.writeUInt32BE(9, 4);
    expect(() => readQtResources(future)).toThrow(/version 9/);
  });

  it('says so for zstd-compressed entries instead of returning compressed bytes', () => {
    const zstd = bundle([{ name: 'a.webp', content: photo }]);
    zstd.writeUInt16BE(0x4, 20 + 22 + 4); // the file node's flags
    expect(() => readQtResources(zstd)).toThrow(/\/a\.webp: zstd/);
  });
});

describe('writeQtResources', () => {
  let outDir: string;
  beforeEach(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'qt-resources-'));
  });
  afterEach(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('writes the listed files under their paths and names the ones that are not there', async () => {
    const files = readQtResources(bundle([{ name: 'erase', content: [{ name: 'alpaca.webp', content: photo, compress: true }, { name: 'README', content: readme }] }]));
    const problems = await writeQtResources(files, outDir, ['/erase/alpaca.webp', '/erase/missing.webp']);
    expect(problems).toEqual(['no /erase/missing.webp inside']);
    expect(await readFile(path.join(outDir, 'erase', 'alpaca.webp'))).toEqual(photo);
    expect(await readdir(path.join(outDir, 'erase'))).toEqual(['alpaca.webp']);
  });

  it('never writes outside the folder, whatever the names inside the bundle', async () => {
    const files = readQtResources(bundle([{ name: '..', content: [{ name: 'escaped.txt', content: readme }] }, { name: 'kept.txt', content: readme }]));
    const problems = await writeQtResources(files, outDir);
    expect(problems).toEqual([`/../escaped.txt points outside ${outDir}; not written`]);
    expect(await readdir(outDir)).toEqual(['kept.txt']);
    await expect(readFile(path.join(path.dirname(outDir), 'escaped.txt'))).rejects.toThrow();
  });
});
