import 'server-only';

import { createHash } from 'node:crypto';
import { env } from '~/lib/env';
import { logServerError } from '~/lib/errors';
import type { ImageInputError } from '~/lib/ml/image';
import { isClassifierRestarting, isImageInputError, isQueueFullError } from '~/lib/serving/error-guards';
import { MultipartError, multipartBoundary, parseMultipart, TooManyPartsError, type MultipartPart } from '~/lib/serving/multipart';
import { Capacity } from '~/lib/serving/capacity';
import { FixedWindowRateLimiter } from '~/lib/serving/rate-limit';
import type { AdmissionTicket, InferenceService, ServedClassification } from '~/lib/serving/inference-service';
import { ApiError, clientAddress, errorResponse, jsonResponse, readBodyLimited, type ReserveBodyBytes } from '~/lib/server/api/http';
import { getInferenceService } from '~/lib/server/inference';
import { getUserByApiToken } from '~/lib/server/queries/api-tokens';
import { createPredictionsForToken } from '~/lib/server/queries/predictions';
import { makeThumbnail, type Thumbnail } from '~/lib/server/thumbnail';
import { predictJsonRequestSchema, type ApiErrorCode } from '~/lib/validations/api';
import type { z } from 'zod';
import type { predictResponseSchema } from '~/lib/validations/api';

type PredictResponse = z.infer<typeof predictResponseSchema>;

/** Room for multipart boundaries and part headers around the files. */
const MULTIPART_OVERHEAD = 64 * 1024;
/** Form fields besides the images that a multipart request may carry (ignored, but allowed). */
export const MAX_OTHER_FIELDS = 16;
/** Values a JSON body may hold per image, and besides them: {"b64": …} plus a few fields a client may add. */
const JSON_VALUES_PER_IMAGE = 8;
const JSON_OTHER_VALUES = 64;
/** The JSON values a request body may hold in all (the OpenAPI document states it too). */
export const maxJsonValues = () => env.API_MAX_FILES * JSON_VALUES_PER_IMAGE + JSON_OTHER_VALUES;
/** The images one request may hold, for the OpenAPI document: what checkFileCount and checkCount below admit between them. */
export const maxImagesPerRequest = () => Math.min(env.API_MAX_FILES, env.INFERENCE_MAX_IN_FLIGHT);
const RETRY_SOON = { 'Retry-After': '1' };
const BUSY_MESSAGE = 'The server is busy; please retry in a moment.';
/** No room (queue places or body memory): the one answer for every kind of full. */
const busy = () => new ApiError(429, 'queue_full', BUSY_MESSAGE, RETRY_SOON);
const RESTARTING_MESSAGE = 'The classifier is restarting after a failure; please retry in a few seconds.';
/** A slow start (TLS, a phone waking its radio) is forgiven; after it, the body must keep coming. */
const BODY_GRACE_MS = 10_000;
const bodyPace = () => ({ minBytesPerSecond: env.API_BODY_MIN_BYTES_PER_SECOND, graceMs: BODY_GRACE_MS });

/**
 * The API's per-minute limits, one in-memory limiter each per process (the
 * page limits are in lib/server/rate-limits.ts): anonymous calls per address,
 * and images per token owner, since every one of those is a stored row and a
 * free account must not write rows without bound.
 */
const globalForLimiters = globalThis as unknown as { petlensApiLimiters?: { anonymous: FixedWindowRateLimiter; token: FixedWindowRateLimiter } };
function apiLimiters() {
  globalForLimiters.petlensApiLimiters ??= {
    anonymous: new FixedWindowRateLimiter(env.API_ANON_RATE_LIMIT),
    token: new FixedWindowRateLimiter(env.API_TOKEN_RATE_LIMIT),
  };
  return globalForLimiters.petlensApiLimiters;
}

const globalForBodies = globalThis as unknown as { petlensApiBodyBudget?: Capacity };
/** The bytes of request bodies (and their decoded copies) held at once, across all requests of this process. */
function bodyBudget(): Capacity {
  globalForBodies.petlensApiBodyBudget ??= new Capacity(env.API_MAX_BODY_BYTES_IN_FLIGHT);
  return globalForBodies.petlensApiBodyBudget;
}

const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message, { 'WWW-Authenticate': 'Bearer realm="petlens"' });

/** Who is calling: a token's owner (and which token), or an anonymous caller (rate-limited, never stored). */
async function authenticate(request: Request): Promise<{ userId: string; tokenId: string } | null> {
  const header = request.headers.get('authorization');
  if (header === null) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthorized('The Authorization header must be "Bearer <token>"');
  let owner;
  try {
    owner = await getUserByApiToken(match[1]!);
  } catch (error) {
    logServerError('checking an API token', error);
    throw new ApiError(503, 'database_unavailable', 'The token cannot be checked right now; please try again.', RETRY_SOON);
  }
  if (!owner) throw unauthorized('The API token is not valid or has been revoked');
  return owner;
}

/**
 * Refuses a request for its number of images, called by the body readers as
 * soon as they know it: before any image is checked or decoded (a JSON
 * body's base64 is three quarters of its size again in memory).
 */
type CheckFileCount = (count: number) => void;

function checkFileCount(count: number): void {
  if (count === 0) throw new ApiError(400, 'missing_field', 'Send at least one image: multipart field "image", or JSON {"instances": [{"b64": "..."}]}');
  if (count > env.API_MAX_FILES) throw new ApiError(400, 'too_many_files', `At most ${env.API_MAX_FILES} images per request; this one has ${count}`);
}

function checkFileSize(bytes: number, index: number): void {
  if (bytes > env.MAX_UPLOAD_BYTES) throw new ApiError(413, 'payload_too_large', `Image ${index} is larger than ${env.MAX_UPLOAD_BYTES} bytes`, {}, index);
}

async function readMultipart(request: Request, contentType: string, reserve: ReserveBodyBytes, checkCount: CheckFileCount): Promise<Uint8Array[]> {
  let boundary: string;
  try {
    boundary = multipartBoundary(contentType);
  } catch (error) {
    throw new ApiError(400, 'bad_request', `The multipart body is malformed: ${(error as Error).message}`);
  }
  const body = await readBodyLimited(request, env.API_MAX_FILES * (env.MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD), bodyPace(), reserve);
  let parts: MultipartPart[];
  try {
    parts = parseMultipart(body, boundary, env.API_MAX_FILES + MAX_OTHER_FIELDS);
  } catch (error) {
    if (error instanceof TooManyPartsError) {
      throw new ApiError(400, 'too_many_files', `At most ${env.API_MAX_FILES} images per request, in at most ${error.maxParts} parts; this one has more`);
    }
    if (!(error instanceof MultipartError)) throw error;
    throw new ApiError(400, 'bad_request', `The multipart body is malformed: ${error.message}`);
  }
  const images = parts.filter((part) => part.name === 'image');
  checkCount(images.length);
  return images.map((part, index) => {
    if (part.filename === null) throw new ApiError(400, 'bad_request', `Field "image" #${index} must be a file, not text`, {}, index);
    checkFileSize(part.data.byteLength, index);
    return part.data;
  });
}

/**
 * An upper bound on the values in a JSON body: its commas, braces and
 * brackets, counted natively (base64 holds none of them) and only up to
 * `limit`. JSON.parse of {"instances":[{},{},…]} makes tens of millions of
 * objects out of 200 MB (gigabytes, and seconds of the event loop), so the
 * count comes before parsing.
 */
function jsonValuesAtLeast(body: Buffer, limit: number): number {
  let count = 0;
  for (const separator of [0x2c, 0x7b, 0x5b]) {
    for (let at = body.indexOf(separator); at !== -1; at = body.indexOf(separator, at + 1)) {
      if (++count > limit) return count;
    }
  }
  return count;
}

/** Both alphabets: Node's base64 decoder reads the URL-safe one's - and _ as well. */
const ANY_BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Base64 as clients send it, ready for Buffer.from(…, 'base64'): a data URL's
 * prefix (what a browser's FileReader.readAsDataURL gives) and line breaks
 * (MIME encoders, `base64` without -w0) are removed; the URL-safe alphabet and
 * missing padding are accepted as they are. Null when it is not base64 at all.
 * Input without a prefix or line breaks, the usual case, passes the check as
 * it is and is returned without being scanned again or copied; its decoded
 * size comes with it.
 */
function acceptedBase64(value: string): { b64: string; bytes: number } | null {
  let bare = value;
  if (!ANY_BASE64.test(bare)) {
    bare = value.replace(/^data:[\w.+-]+\/[\w.+-]+(;[\w=.+-]+)*;base64,/i, '').replace(/[\r\n\t ]/g, '');
    if (!ANY_BASE64.test(bare)) return null;
  }
  const padding = bare.endsWith('==') ? 2 : bare.endsWith('=') ? 1 : 0;
  const digits = bare.length - padding;
  // A remainder of one character cannot come from any number of bytes; padding must complete a quartet.
  if (digits % 4 === 1 || (padding > 0 && bare.length % 4 !== 0)) return null;
  return { b64: bare, bytes: Math.floor((digits * 3) / 4) };
}

/** The value at `path` inside parsed JSON; undefined where it is absent. */
function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined), json);
}

async function readJson(request: Request, reserve: ReserveBodyBytes, checkCount: CheckFileCount): Promise<Uint8Array[]> {
  // base64 is 4/3 of the bytes, plus JSON framing.
  const body = await readBodyLimited(request, Math.ceil((env.API_MAX_FILES * env.MAX_UPLOAD_BYTES * 4) / 3) + MULTIPART_OVERHEAD, bodyPace(), reserve);
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const maxValues = maxJsonValues();
  if (jsonValuesAtLeast(text, maxValues) > maxValues) {
    throw new ApiError(400, 'too_many_files', `At most ${env.API_MAX_FILES} images per request, and at most ${maxValues} JSON values in all; this body has more`);
  }
  // Parsing makes a string as long as the body, and decoding the base64 three quarters of it again.
  reserve(2 * body.byteLength);
  let json: unknown;
  try {
    json = JSON.parse(text.toString('utf8'));
  } catch {
    throw new ApiError(400, 'bad_request', 'The body is not valid JSON');
  }
  if (json !== null && typeof json === 'object' && Array.isArray((json as { instances?: unknown }).instances)) {
    checkCount((json as { instances: unknown[] }).instances.length);
  }
  const parsed = predictJsonRequestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // Missing: an absent field, or no instances at all; a field of the wrong type is malformed.
    const missing = issue?.code === 'too_small' || valueAt(json, issue?.path ?? []) === undefined;
    throw new ApiError(400, missing ? 'missing_field' : 'bad_request', `Expected {"instances": [{"b64": "<base64 image>"}]}: ${issue?.message ?? 'invalid body'}`);
  }
  return parsed.data.instances.map(({ b64: given }, index) => {
    const accepted = acceptedBase64(given);
    if (accepted === null) throw new ApiError(400, 'bad_request', `instances[${index}].b64 is not valid base64`, {}, index);
    checkFileSize(accepted.bytes, index);
    return Buffer.from(accepted.b64, 'base64');
  });
}

const IMAGE_ERRORS: Record<ImageInputError['code'], { status: number; code: ApiErrorCode }> = {
  empty: { status: 400, code: 'empty_file' },
  unsupported_format: { status: 415, code: 'unsupported_format' },
  corrupt: { status: 422, code: 'corrupt_image' },
  too_many_pixels: { status: 422, code: 'too_many_pixels' },
  too_small: { status: 422, code: 'image_too_small' },
};

function classificationError(reason: unknown, index: number, count: number): ApiError {
  const which = count > 1 ? `Image ${index}: ` : '';
  if (isImageInputError(reason)) {
    const { status, code } = IMAGE_ERRORS[reason.code];
    return new ApiError(status, code, `${which}${reason.message}`, {}, index);
  }
  if (isQueueFullError(reason)) return busy();
  // The pool already logged the crash and each restart attempt.
  if (isClassifierRestarting(reason)) return new ApiError(503, 'model_unavailable', RESTARTING_MESSAGE, { 'Retry-After': '5' }, index);
  logServerError('classifying an API image', reason);
  return new ApiError(503, 'model_unavailable', 'The classifier failed on this request; please try again.', RETRY_SOON, index);
}

/**
 * Classifies every file (the first refused one fails the request) and, for a
 * caller whose predictions are stored, makes their thumbnails. A thumbnail that
 * cannot be made does not undo the answers: `thumbnailFailedAt` says which
 * image, and they stand, unsaved, as on the web page, instead of being lost to
 * a 500.
 */
async function classifyAll(service: InferenceService, files: Uint8Array[], withThumbnails: boolean) {
  const settled = await Promise.allSettled(files.map((bytes) => service.classify(bytes)));
  const results: ServedClassification[] = [];
  for (const [index, outcome] of settled.entries()) {
    if (outcome.status === 'rejected') throw classificationError(outcome.reason, index, files.length);
    results.push(outcome.value);
  }
  const thumbnails: Thumbnail[] = [];
  if (!withThumbnails) return { results, thumbnails, thumbnailFailedAt: null };
  // Thumbnails only for files the classifier accepted (format and pixel limits checked).
  const made = await Promise.allSettled(files.map((bytes) => makeThumbnail(bytes, env.MAX_IMAGE_PIXELS)));
  for (const [index, outcome] of made.entries()) {
    if (outcome.status === 'rejected') {
      logServerError('making an API thumbnail', outcome.reason);
      return { results, thumbnails: [], thumbnailFailedAt: index };
    }
    thumbnails.push(outcome.value);
  }
  return { results, thumbnails, thumbnailFailedAt: null };
}

/** Counts a call without a valid token against its address's per-minute limit. */
function limitAnonymous(request: Request): void {
  const decision = apiLimiters().anonymous.hit(clientAddress(request));
  if (!decision.allowed) {
    throw new ApiError(429, 'rate_limited', `Calls without a valid token are limited to ${decision.limit} per minute; send an API token (see /account) or retry later.`, {
      'Retry-After': String(decision.retryAfterSeconds),
    });
  }
}

async function handle(request: Request): Promise<Response> {
  let caller: { userId: string; tokenId: string } | null;
  try {
    caller = await authenticate(request);
  } catch (error) {
    // A refused token counts like an anonymous call, so that guessing tokens
    // from one address is rate-limited (429 once over). The lookup itself still
    // runs first: a valid token from a limited address must keep working.
    if (error instanceof ApiError && error.status === 401) limitAnonymous(request);
    throw error;
  }
  if (!caller) limitAnonymous(request);

  let service: InferenceService;
  try {
    service = await getInferenceService();
  } catch (error) {
    logServerError('starting the classifier', error);
    throw new ApiError(503, 'model_unavailable', 'The classifier is not available right now; please try again later.', RETRY_SOON);
  }

  // A full service refuses before the body is read, so a busy server costs
  // no upload. Places are taken only once the body is in (below): a client
  // that sends its body slowly then holds only the bytes it sent (counted in
  // the body budget), never a place that ready images could use.
  if (!service.hasRoomFor(1)) throw busy();
  // Memory is claimed for every byte held, so that many large bodies at once are refused, not buffered.
  const budget = bodyBudget();
  const bodyBytes = budget.lease();
  const reserve: ReserveBodyBytes = (bytes) => {
    if (bodyBytes.take(bytes)) return;
    // More than the whole budget for this request alone: retrying cannot help, so not a 429.
    if (bodyBytes.held + bytes > budget.limit) {
      throw new ApiError(413, 'payload_too_large', 'This request needs more memory than the server holds for request bodies (API_MAX_BODY_BYTES_IN_FLIGHT); send fewer or smaller images per request');
    }
    throw busy();
  };
  // More images than the server ever admits at once, or than a token may
  // classify in a minute: retrying cannot help, so not a 429.
  const checkCount: CheckFileCount = (count) => {
    checkFileCount(count);
    if (count > service.maxInFlight) {
      throw new ApiError(400, 'too_many_files', `This server classifies at most ${service.maxInFlight} images at once (INFERENCE_MAX_IN_FLIGHT); this request has ${count}`);
    }
    if (caller && !apiLimiters().token.admits(count)) {
      throw new ApiError(400, 'too_many_files', `Calls with a token may classify at most ${env.API_TOKEN_RATE_LIMIT} images per minute (API_TOKEN_RATE_LIMIT); this request has ${count}`);
    }
  };
  let ticket: AdmissionTicket | null = null;
  // The owner's images for the minute, given back when the classifier or the
  // database was unavailable (a restarting worker, a save that failed): retrying
  // is what such an answer asks for, and it must not be refused for the images
  // that failed. Not for other failures, which an image itself could cause
  // again and again.
  let allowance: { giveBack(): void } | null = null;
  try {
    const contentType = request.headers.get('content-type') ?? '';
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    let files: Uint8Array[];
    if (mediaType === 'multipart/form-data') files = await readMultipart(request, contentType, reserve, checkCount);
    else if (mediaType === 'application/json') files = await readJson(request, reserve, checkCount);
    else throw new ApiError(415, 'unsupported_media_type', 'Send multipart/form-data (field "image") or application/json ({"instances": [{"b64": "..."}]})');
    // Places first: a busy server's refusal must not use up the owner's images for the minute.
    ticket = service.tryAdmit(files.length);
    if (!ticket) throw busy();
    if (caller) {
      const decision = apiLimiters().token.take(`user:${caller.userId}`, files.length);
      allowance = decision;
      if (!decision.allowed) {
        throw new ApiError(429, 'rate_limited', `Calls with a token may classify at most ${decision.limit} images per minute; retry in ${decision.retryAfterSeconds} s.`, {
          'Retry-After': String(decision.retryAfterSeconds),
        });
      }
    }

    const { results, thumbnails, thumbnailFailedAt } = await classifyAll(service, files, caller !== null);
    // The places are for images being decoded, queued or classified: a save waiting on a slow database must not keep
    // other callers out of the classifier (the upload action lets go at the same point). The body's bytes stay counted.
    ticket.release();
    ticket = null;
    const model = { name: service.card.name, version: service.card.version };
    const body: PredictResponse = {
      predictions: results.map(({ label, confidence, probabilities }) => ({ label, confidence, probabilities })),
      model,
      saved: false,
    };
    if (caller && thumbnailFailedAt !== null) {
      // Nothing of the request is stored (a retry would store the others twice), so its images are not counted.
      allowance?.giveBack();
      const which = files.length > 1 ? `image ${thumbnailFailedAt}` : 'the image';
      body.notSaved = `The images were classified but not saved to your history: PetLens could not make a thumbnail of ${which}.`;
    } else if (caller) {
      let rows;
      try {
        rows = await createPredictionsForToken(
          caller.tokenId,
          results.map((result, i) => ({
              userId: caller.userId,
              label: result.label,
              confidence: result.confidence,
              probabilities: result.probabilities,
              modelName: model.name,
              modelVersion: model.version,
              executionProvider: service.executionProvider,
              latencyMs: result.timings.decodeMs + result.timings.inferenceMs,
              sha256: createHash('sha256').update(files[i]!).digest('hex'),
              thumbnail: thumbnails[i]!,
            })),
        );
      } catch (error) {
        logServerError('saving API predictions', error);
        throw new ApiError(503, 'database_unavailable', 'The images were classified but could not be saved to your history; please try again.', RETRY_SOON);
      }
      // Revoked while the request was under way: refused as it would be now, with nothing stored.
      if (rows === null) {
        allowance?.giveBack(); // nothing was stored
        throw unauthorized('The API token was revoked while this request was under way; nothing was stored');
      }
      rows.forEach((row, i) => (body.predictions[i]!.id = row.id));
      body.saved = true;
    }
    return jsonResponse(body);
  } catch (error) {
    if (error instanceof ApiError && (error.code === 'model_unavailable' || error.code === 'database_unavailable')) allowance?.giveBack();
    throw error;
  } finally {
    bodyBytes.release();
    ticket?.release();
  }
}

/** POST /api/v1/predict. Every failure is a JSON {"error": {"code", "message"}}. */
export async function handlePredict(request: Request): Promise<Response> {
  try {
    return await handle(request);
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error);
    logServerError('POST /api/v1/predict', error);
    return errorResponse(new ApiError(500, 'internal', 'Something went wrong on our side.'));
  }
}
