import 'server-only';

import { addressFrom } from '~/lib/server/rate-limits';
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

type RouteHandler = (request: Request) => Response;
type HandledMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The handlers an endpoint answering only `allowed` exports for every other
 * method. Without them Next answers a method the route file does not export
 * with an empty 405 and no Allow header, and its automatic OPTIONS would list
 * these refusals as allowed; with them a client gets the API's JSON error
 * with Allow, and OPTIONS names only the real methods. HEAD is Next's (GET
 * without the body).
 *
 *   export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods('GET');
 */
export function otherMethods<Allowed extends 'GET' | 'POST'>(allowed: Allowed): Record<Exclude<HandledMethod, Allowed> | 'OPTIONS', RouteHandler> {
  const allow = allowed === 'GET' ? 'GET, HEAD, OPTIONS' : 'POST, OPTIONS';
  const refuse: RouteHandler = (request) =>
    errorResponse(new ApiError(405, 'method_not_allowed', `${request.method} is not allowed here; this endpoint answers ${allowed}`, { Allow: allow }));
  // The allowed method's entry is never exported: the type leaves it out.
  const options: RouteHandler = () => new Response(null, { status: 204, headers: { ...NO_STORE, Allow: allow } });
  const handlers = { GET: refuse, POST: refuse, PUT: refuse, PATCH: refuse, DELETE: refuse, OPTIONS: options };
  return handlers;
}

/** Every method of a path under /api that no route answers: a JSON 404 instead of the HTML page. */
export const unknownEndpoint: RouteHandler = (request) =>
  errorResponse(new ApiError(404, 'not_found', `There is no API endpoint at ${new URL(request.url).pathname}; the endpoints are listed in /api/v1/openapi.json`));

/**
 * How fast a body must arrive. A body still arriving holds its connection
 * and the bytes it has sent (the body budget in lib/server/api/predict.ts),
 * so a client that drips a few bytes a second could otherwise keep both for
 * hours. After `graceMs`, the body must have averaged at least
 * `minBytesPerSecond` since the request began; 0 turns the check off.
 */
export interface BodyPace {
  minBytesPerSecond: number;
  graceMs: number;
}

/**
 * Claims memory for a body before it is held: throws (an ApiError to send)
 * when the process has no room left for `bytes` more.
 */
export type ReserveBodyBytes = (bytes: number) => void;

/**
 * Reads the body, refusing it (413) as soon as it passes `limit` bytes: a
 * declared Content-Length over the limit is refused before reading, and a
 * chunked or lying body is cut off while streaming, never buffered whole.
 * A body arriving slower than `pace` is cut off with 408. Every byte held is
 * first claimed through `reserve`, chunk by chunk as it arrives (so a slow
 * client holds only what it has sent), and once more for the copy that joins
 * the chunks.
 */
export async function readBodyLimited(request: Request, limit: number, pace?: BodyPace, reserve?: ReserveBodyBytes): Promise<Uint8Array<ArrayBuffer>> {
  const tooLarge = () => new ApiError(413, 'payload_too_large', `The request body is larger than ${limit} bytes`);
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const started = performance.now();
  // When the body, `bytes` long so far, must have grown by another byte.
  const deadline = (bytes: number) => (pace && pace.minBytesPerSecond > 0 ? started + pace.graceMs + ((bytes + 1) / pace.minBytesPerSecond) * 1000 : Infinity);
  const tooSlow = () =>
    new ApiError(408, 'request_timeout', `The request body arrived too slowly (under ${pace!.minBytesPerSecond} bytes per second); please retry on a faster connection.`, {
      Connection: 'close',
    });
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Refused while still arriving (413, or 429 from `reserve`): the rest is read and thrown away, so that a client
  // that sends its whole body before it reads (Python's requests, for one) gets to read the answer instead of a reset.
  const refuse = (error: unknown) => {
    void discardRest(reader, limit, deadline, total);
    return error;
  };
  for (;;) {
    let result: ReadableStreamReadResult<Uint8Array> | 'too slow';
    try {
      result = await readBefore(reader, deadline(total));
    } catch {
      throw new ApiError(400, 'bad_request', 'The request body could not be read');
    }
    if (result === 'too slow') {
      // Not awaited: a cancel waits behind the read still pending, which a client that stopped sending never ends.
      // The connection is closed after the answer: it still carries the rest of a body that will never be read.
      void reader.cancel().catch(() => undefined);
      throw tooSlow();
    }
    if (result.done) break;
    total += result.value.byteLength;
    if (total > limit) throw refuse(tooLarge());
    try {
      reserve?.(result.value.byteLength);
    } catch (error) {
      throw refuse(error);
    }
    chunks.push(result.value);
  }
  reserve?.(total);
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * Reads what is left of a refused body and drops it, holding no more than one
 * chunk at a time: at most `limit` more bytes, and only while the body keeps
 * the pace (`deadline`, as it had to while it was read); then, or on any
 * error, the stream is cancelled.
 */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number, deadline: (bytes: number) => number, readSoFar: number): Promise<void> {
  let discarded = 0;
  try {
    while (discarded <= limit) {
      const result = await readBefore(reader, deadline(readSoFar + discarded));
      if (result === 'too slow') break;
      if (result.done) return;
      discarded += result.value.byteLength;
    }
  } catch {
    // The client went away: nothing left to drop.
    return;
  }
  void reader.cancel().catch(() => undefined);
}

/**
 * The next chunk, or 'too slow' once `deadlineAt` (a performance.now() time;
 * Infinity for none) has passed without one. A chunk already there wins even
 * at the deadline.
 */
async function readBefore(reader: ReadableStreamDefaultReader<Uint8Array>, deadlineAt: number): Promise<ReadableStreamReadResult<Uint8Array> | 'too slow'> {
  const read = reader.read();
  for (;;) {
    const wait = deadlineAt - performance.now();
    if (!Number.isFinite(wait)) return read;
    let timer: NodeJS.Timeout | undefined;
    // setTimeout fires at once for delays past its longest (about 24.8 days, at a pace of a few bytes a second):
    // wait in steps of at most that.
    const tick = new Promise<'tick'>((resolve) => (timer = setTimeout(() => resolve('tick'), Math.min(Math.max(0, wait), MAX_TIMER_MS))));
    const outcome = await Promise.race([read, tick]).finally(() => clearTimeout(timer));
    if (outcome !== 'tick') return outcome;
    if (performance.now() >= deadlineAt) return 'too slow';
  }
}

/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The key the caller's per-address limits count under (see addressFrom). */
export function clientAddress(request: Request): string {
  return addressFrom((name) => request.headers.get(name));
}
