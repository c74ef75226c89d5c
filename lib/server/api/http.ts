import 'server-only';

import type { ApiErrorBody, ApiErrorCode } from '~/lib/validations/api';

/** An API failure with its HTTP status; the message is safe to send. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly index?: number,
  ) {
    super(message);
  }
}

const NO_STORE = { 'Cache-Control': 'no-store' } as const;

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

export function errorResponse(error: ApiError): Response {
  const body: ApiErrorBody = { error: { code: error.code, message: error.message, ...(error.index === undefined ? {} : { index: error.index }) } };
  return jsonResponse(body, error.status, error.headers);
}

/**
 * Reads the body, refusing it (413) as soon as it passes `limit` bytes: a
 * declared Content-Length over the limit is refused before reading, and a
 * chunked or lying body is cut off while streaming, never buffered whole.
 */
export async function readBodyLimited(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const tooLarge = () => new ApiError(413, 'payload_too_large', `The request body is larger than ${limit} bytes`);
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await reader.read();
    } catch {
      throw new ApiError(400, 'bad_request', 'The request body could not be read');
    }
    if (result.done) break;
    total += result.value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(result.value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * The caller's address for per-IP limits: the first X-Forwarded-For entry
 * (`next start` fills it from the socket when a client did not send one;
 * behind a reverse proxy, the proxy must set it).
 */
export function clientAddress(request: Request): string {
  const forwarded = request.headers.get('x-forwarded-for');
  const first = forwarded?.split(',')[0]?.trim();
  return first || request.headers.get('x-real-ip') || 'unknown';
}
