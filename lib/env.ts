/**
 * @file The only reader of process.env. Every variable is declared, typed and
 * validated here once; everything else imports `env` (server) or
 * `clientEnv` (browser-safe, NEXT_PUBLIC_ only).
 *
 * Empty strings count as unset. SKIP_ENV_VALIDATION=1 turns validation
 * errors into warnings (for tooling that imports modules without a full env).
 */
import { z } from 'zod';
import { UPLOAD } from './config';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const intWithDefault = (fallback: number, min = 0) => z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).default(fallback));

const serverSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** PostgreSQL connection string. Unset: `npm start` runs an embedded server and sets it for the app. */
  DATABASE_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
  /** Signs the session JWTs. Required in production; `npm start` keeps one in .data/ for the embedded setup. */
  NEXTAUTH_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, 'NEXTAUTH_SECRET must be at least 32 characters').optional()),
  /** The public origin, e.g. http://localhost:3000 (next-auth reads it itself; listed to validate it). */
  NEXTAUTH_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
  PORT: intWithDefault(3000, 1),
  /** Folder for the embedded database and local secrets (default .data in the project). */
  PETLENS_DATA_DIR: optionalString,
  /** Port of the embedded PostgreSQL (0: pick a free one at start). */
  EMBEDDED_PG_PORT: intWithDefault(54329),
  /** The model card JSON; the ONNX file lies beside it. */
  MODEL_CARD_PATH: z.preprocess(emptyToUndefined, z.string().default('models/petlens-mobilenetv3-small.json')),
  INFERENCE_DEVICE: z.preprocess(emptyToUndefined, z.enum(['auto', 'cuda', 'cpu']).default('cpu')),
  /** onnxruntime intra-op threads per inference worker; 0 = sized to the CPUs this process may use (a container's CPU quota counts). */
  INFERENCE_THREADS: intWithDefault(0, 0),
  /** Inference worker threads, each with its own session; 0 = sized to the CPUs this process may use. */
  INFERENCE_WORKERS: intWithDefault(0, 0),
  /** Micro-batching of concurrent images (off: each image runs alone; for benchmarks). */
  INFERENCE_BATCHING: z.preprocess(emptyToUndefined, z.enum(['on', 'off', '1', '0', 'true', 'false']).default('on').transform((v) => v === 'on' || v === '1' || v === 'true')),
  /** Largest micro-batch, images. */
  INFERENCE_BATCH_MAX: intWithDefault(16, 1),
  /** How long the first image of a batch may wait for others, milliseconds. */
  INFERENCE_BATCH_DELAY_MS: z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(1000).default(2)),
  /** Images admitted at once (received and being decoded, queued or classified); beyond it requests get 429. */
  INFERENCE_MAX_IN_FLIGHT: intWithDefault(256, 1),
  /**
   * Bytes of POST /api/v1/predict bodies held in memory at once, over all
   * requests (each body counts twice: its chunks and their joined copy; JSON
   * bodies twice more for parsing); past it requests get 429, and a request
   * that alone needs more gets 413. The largest single request needs
   * 2 x API_MAX_FILES x MAX_UPLOAD_BYTES as multipart, and
   * 16/3 x API_MAX_FILES x MAX_UPLOAD_BYTES as base64 JSON.
   */
  API_MAX_BODY_BYTES_IN_FLIGHT: intWithDefault(1024 * 1024 * 1024, 1),
  /** Files one POST /api/v1/predict may carry. */
  API_MAX_FILES: intWithDefault(16, 1),
  /**
   * POST /api/v1/predict bodies must arrive at this average rate, bytes per
   * second, once 10 s have passed (else 408): a body still arriving holds its
   * connection and the memory of what it has sent. 0 turns the check off.
   */
  API_BODY_MIN_BYTES_PER_SECOND: intWithDefault(16 * 1024, 0),
  /** Anonymous POST /api/v1/predict calls per IP address per minute; 0 turns the limit off. */
  API_ANON_RATE_LIMIT: intWithDefault(60, 0),
  /**
   * Images a token's owner may classify through POST /api/v1/predict per
   * minute (each is stored in their history); 0 turns the limit off.
   */
  API_TOKEN_RATE_LIMIT: intWithDefault(1200, 0),
  /**
   * Sign-in attempts per minute per IP address, and failed ones per account
   * (lib/server/rate-limits.ts); also a signed-in user's password checks per
   * minute. 0 turns the limits off.
   */
  SIGN_IN_RATE_LIMIT: intWithDefault(10, 0),
  /** Accounts created per minute per IP address; 0 turns the limit off. */
  SIGN_UP_RATE_LIMIT: intWithDefault(5, 0),
  /** Uploads (the upload form's server action) per minute per signed-in user, or per IP address for guests; 0 turns the limit off. */
  UPLOAD_RATE_LIMIT: intWithDefault(60, 0),
  /**
   * Reverse proxies in front of PetLens that append the client's address to
   * X-Forwarded-For (nginx's $proxy_add_x_forwarded_for, most load
   * balancers). 0: PetLens faces the clients itself and takes their address
   * from the connection, ignoring any X-Forwarded-For they send; N: the Nth
   * address from the right (scripts/serve.cjs). Per-address limits trust it.
   */
  TRUSTED_PROXY_HOPS: intWithDefault(0, 0),
  /** Largest accepted upload, bytes. */
  MAX_UPLOAD_BYTES: intWithDefault(UPLOAD.defaultMaxBytes, 1),
  /** Largest accepted image, pixels (decompression bombs are refused before decoding). */
  MAX_IMAGE_PIXELS: intWithDefault(50_000_000, 1),
  /**
   * With ADMIN_PASSWORD: `npm start` makes sure this account exists and is an
   * admin (created, or its password set to ADMIN_PASSWORD). An ordinary
   * account with this address is refused, not promoted (lib/db/admins.ts).
   */
  ADMIN_EMAIL: optionalString,
  ADMIN_PASSWORD: optionalString,
  /**
   * Days a guest's web upload (thumbnail and answer, no owner) is kept for
   * admin review before the purge deletes it. 0: guests' uploads are not
   * stored at all. Anonymous REST API calls are never stored either way.
   */
  GUEST_RETENTION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(36_500).default(0)),
  /** The admin review queue lists predictions below this confidence (0-1). */
  REVIEW_CONFIDENCE_THRESHOLD: z.preprocess(emptyToUndefined, z.coerce.number().gt(0).max(1).default(0.7)),
  SKIP_ENV_VALIDATION: z.preprocess(emptyToUndefined, z.enum(['0', '1', 'true', 'false']).optional()),
});

const clientSchema = z.object({});

export type ServerEnv = z.infer<typeof serverSchema>;

function parseServerEnv(): ServerEnv {
  const parsed = serverSchema.safeParse(process.env);
  if (parsed.success) {
    // NEXTAUTH_SECRET is optional *here* because `next build` loads this file
    // without secrets. At run time it is enforced twice: scripts/start.ts
    // refuses to serve a real (DATABASE_URL) database without it, and
    // next-auth refuses to sign sessions without it in production (NO_SECRET).
    return parsed.data;
  }
  fail(z.prettifyError(parsed.error));
  // With SKIP_ENV_VALIDATION: the invalid variables fall back to their
  // defaults, and the valid ones (DATABASE_URL, say) still stand.
  const invalid = new Set<PropertyKey>(parsed.error.issues.map((issue) => issue.path[0] ?? ''));
  const valid = serverSchema.safeParse(Object.fromEntries(Object.entries(process.env).filter(([key]) => !invalid.has(key))));
  return valid.success ? valid.data : serverSchema.parse({});
}

function fail(message: string): void {
  const skip = process.env.SKIP_ENV_VALIDATION === '1' || process.env.SKIP_ENV_VALIDATION === 'true';
  if (skip) {
    console.warn(`[env] ignoring invalid environment (SKIP_ENV_VALIDATION): ${message}`);
    return;
  }
  throw new Error(`Invalid environment:\n${message}`);
}

/** Server-side configuration. Never import into a client component. */
export const env: ServerEnv = parseServerEnv();

/** Browser-safe configuration (NEXT_PUBLIC_* only; none yet). */
export const clientEnv = clientSchema.parse({});
