/**
 * Request bodies for POST /api/v1/predict as a client sends them, for the
 * benchmarks, the soak and the end-to-end tests.
 */
import { randomBytes } from 'node:crypto';

export interface FilePart {
  data: Uint8Array;
  /** Default `upload.jpg`. */
  filename?: string;
  /** Default `image/jpeg`. */
  type?: string;
}

export interface MultipartBody {
  body: Buffer;
  contentType: string;
}

/** A multipart/form-data body with every file under `field`, and a random boundary; other fields of a file (a test case's name) are ignored. */
export function multipartBody<F extends FilePart>(files: F[], field = 'image'): MultipartBody {
  const boundary = `----petlens${randomBytes(12).toString('hex')}`;
  const parts = files.map((file) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${file.filename ?? 'upload.jpg'}"\r\nContent-Type: ${file.type ?? 'image/jpeg'}\r\n\r\n`),
      file.data,
      Buffer.from('\r\n'),
    ]),
  );
  return { body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}
