/**
 * Shared helpers of the REST API suite: requests built like a client would
 * send them, handed straight to the route handlers (real database, real
 * model, real worker threads).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

export const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared', 'data');
export const PHOTO_FILES = {
  cat: path.join(SHARED, 'pets', 'kaggle', 'cats', 'cat.0.jpg'),
  dog: path.join(SHARED, 'pets', 'kaggle', 'dogs', 'dog.102.jpg'),
  neither: path.join(SHARED, 'other', 'imagenet', 'n03594945_jeep.JPEG'),
} as const;
export type Kind = keyof typeof PHOTO_FILES;

export async function readPhotos(): Promise<Record<Kind, Buffer>> {
  return { cat: await readFile(PHOTO_FILES.cat), dog: await readFile(PHOTO_FILES.dog), neither: await readFile(PHOTO_FILES.neither) };
}

let address = 0;
/** A fresh client address per call site, so anonymous rate limits do not mix between tests. */
export function freshAddress(): string {
  address += 1;
  return `10.0.${Math.floor(address / 250)}.${address % 250}`;
}

export function multipartRequest(files: Uint8Array[], { field = 'image', headers = {} }: { field?: string; headers?: Record<string, string> } = {}): Request {
  const form = new FormData();
  files.forEach((bytes, i) => form.append(field, new Blob([Buffer.from(bytes)], { type: 'image/jpeg' }), `photo-${i}.jpg`));
  return new Request('http://localhost/api/v1/predict', { method: 'POST', body: form, headers: { 'x-forwarded-for': freshAddress(), ...headers } });
}

export function jsonRequest(body: unknown, headers: Record<string, string> = {}): Request {
  return new Request('http://localhost/api/v1/predict', {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'x-forwarded-for': freshAddress(), ...headers },
  });
}

export interface ErrorBody {
  error: { code: string; message: string; index?: number };
}

/** Asserts an error response's status and JSON body, and returns the body. */
export async function expectError(response: Response, status: number, code: string): Promise<ErrorBody> {
  const body = (await response.json()) as ErrorBody;
  expect({ status: response.status, code: body.error?.code }).toEqual({ status, code });
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(5);
  return body;
}

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/**
 * A decompression bomb's header: a valid PNG signature and IHDR claiming
 * width x height, and no image data. The pixel limit must refuse it from the
 * header alone, before anything is decoded.
 */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const chunk = (type: string, data: Buffer) => {
    const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(4 + typeAndData.length + 4);
    out.writeUInt32BE(data.length, 0);
    typeAndData.copy(out, 4);
    out.writeUInt32BE(crc32(typeAndData), 4 + typeAndData.length);
    return out;
  };
  // A little compressed data: the first rows of zeros (the rest is missing).
  const idat = deflateSync(Buffer.alloc(1 + width * 3));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}
