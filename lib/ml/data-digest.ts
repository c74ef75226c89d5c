/**
 * @file A digest of a set of photos, names and bytes: what a model card records
 * of the photos its figures come from, so that a retraining or a re-measurement
 * that lands elsewhere can tell changed photos from a changed model or machine.
 * The same algorithm as training/provenance.py's `data_digest` (the training
 * and validation photos are digested there, the test photos here).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { LabeledFile } from './dataset';

export const DATA_DIGEST_ALGORITHM = "sha256 over sorted lines '<relative path>\\t<sha256 of the file>\\n' (training/provenance.py)";

/** `path` is read for the bytes; `relativePath` is what the digest names. */
export type DigestedFile = Pick<LabeledFile, 'path' | 'relativePath'>;

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/**
 * sha256 over one line per file, `<relative path>\t<sha256 of its bytes>\n`,
 * sorted by their UTF-8 bytes (Python's code-point order, which JavaScript's
 * UTF-16 sort is not beyond the Basic Multilingual Plane). A photo moved to
 * another class folder changes it as much as an edited one.
 */
export async function dataDigest(files: readonly DigestedFile[]): Promise<string> {
  const lines: Buffer[] = [];
  for (const file of files) {
    lines.push(Buffer.from(`${file.relativePath}\t${sha256(await readFile(file.path))}\n`, 'utf8'));
  }
  return sha256(Buffer.concat(lines.sort(Buffer.compare)));
}
