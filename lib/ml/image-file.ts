/**
 * @file Reading an image file for the CLIs and the evaluation: the bytes
 * `Classifier.classify` takes, with the file checked first, so that a path
 * that is not a photo gets a clear error line and the run goes on.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { formatBytes } from '~/lib/format';

/**
 * The largest file read: above the largest image decoding accepts (50 MP of
 * uncompressed 16-bit RGB TIFF is 300 MB), so that a stray disk image or
 * video named .jpg is refused rather than read into memory, several at a
 * time (evaluate --concurrency).
 */
export const MAX_IMAGE_FILE_BYTES = 512 * 1024 * 1024;

function tooLarge(size: string, maxBytes: number): Error {
  return new Error(`the file is ${size}; images over ${formatBytes(maxBytes)} are not read`);
}

/**
 * The file's bytes; throws, saying why, for a folder or for more than
 * `maxBytes`. A pipe (`predict <(curl …)`, `/dev/stdin`) is read too: it has
 * no size to check first, so every read counts against the limit, which also
 * holds for a file that grows while it is read.
 */
export async function readImageFile(file: string, maxBytes = MAX_IMAGE_FILE_BYTES): Promise<Buffer> {
  const stats = await stat(file);
  if (stats.isDirectory()) throw new Error('not a file (a folder)');
  if (stats.size > maxBytes) throw tooLarge(formatBytes(stats.size), maxBytes);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    total += chunk.length;
    // Leaving the loop destroys the stream, which closes the file.
    if (total > maxBytes) throw tooLarge(`over ${formatBytes(maxBytes)}`, maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}
