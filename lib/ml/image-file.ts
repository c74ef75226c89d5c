/**
 * @file Reading an image file for the CLIs and the evaluation: the bytes
 * `Classifier.classify` takes, with the file checked first, so that a path
 * that is not a photo gets a clear error line and the run goes on.
 */
import { open } from 'node:fs/promises';

/**
 * The largest file read: above the largest image decoding accepts (50 MP of
 * uncompressed 16-bit RGB TIFF is 300 MB), so that a stray disk image or
 * video named .jpg is refused before it is read into memory rather than
 * after, several at a time (evaluate --concurrency).
 */
export const MAX_IMAGE_FILE_BYTES = 512 * 1024 * 1024;

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The file's bytes; throws, saying why, for a path that is not a regular file or is over `maxBytes`. */
export async function readImageFile(file: string, maxBytes = MAX_IMAGE_FILE_BYTES): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    // Checked on the open file, so what is read is what was checked.
    const stats = await handle.stat();
    if (!stats.isFile()) throw new Error(`not a file (${stats.isDirectory() ? 'a folder' : 'a device, socket or pipe'})`);
    if (stats.size > maxBytes) throw new Error(`the file is ${megabytes(stats.size)}; images over ${megabytes(maxBytes)} are not read`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
