/**
 * Shared helpers of the REST API suite: requests built like a client would
 * send them, handed straight to the route handlers (real database, real
 * model, real worker threads).
 */
import type { SAMPLE_PHOTOS } from '../fixtures/images';

export type Kind = keyof typeof SAMPLE_PHOTOS;
export { readSamples as readPhotos, pngHeaderOnly } from '../fixtures/images';

/** Polls `check` every 25 ms until it returns true, failing after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
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
