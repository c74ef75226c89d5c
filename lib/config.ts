/**
 * @file App constants as typed data. Values that operators tune come from
 * `env`; the rest are product decisions kept in one place.
 */
import type { Label as ModelLabel } from '~/lib/ml/model-card';

/**
 * The product's classes, in the model's output order. Client components need
 * them too, so they are listed here rather than imported from lib/ml (which
 * pulls in node:fs); the type checks below fail the build if the two drift.
 */
export const LABELS = ['cat', 'dog', 'neither'] as const;
export type Label = (typeof LABELS)[number];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const labelsMatchModel: Same<Label, ModelLabel> = true;
void labelsMatchModel;

/** How each class reads in the UI. */
export const LABEL_TEXT: Record<Label, string> = {
  cat: 'Cat',
  dog: 'Dog',
  neither: 'Not a cat or dog',
};

export const UPLOAD = {
  /** Default size limit; env MAX_UPLOAD_BYTES overrides it on the server. */
  defaultMaxBytes: 10 * 1024 * 1024,
  /** What the file picker offers; the server still checks the real format by decoding. */
  accept: 'image/jpeg,image/png,image/webp,image/gif,image/avif,image/tiff',
  /** Files one drop / pick may queue at once. */
  maxFilesPerBatch: 20,
} as const;

export const THUMBNAIL = {
  /** Longest side, px. */
  maxSide: 256,
  quality: 75,
} as const;

export const HISTORY = {
  pageSize: 24,
  maxPageSize: 100,
} as const;

/** Below this confidence the UI says the model is unsure. */
export const LOW_CONFIDENCE = 0.6;

export const PASSWORD = { minLength: 10, maxLength: 128 } as const;

/** The error signIn() gets back when sign-in attempts are rate-limited (authorize throws it). */
export const SIGN_IN_RATE_LIMITED = 'rate_limited';

/** The error signIn() gets back when the account cannot be looked up (the database is down), so it is not shown as a wrong password. */
export const SIGN_IN_UNAVAILABLE = 'unavailable';

export const ADMIN = {
  /** Equal-width confidence bins of the dashboard's histogram (5 % each). */
  histogramBins: 20,
  /** Bins of the reliability diagram and its ECE: the same 15 as lib/ml/metrics, so live and offline ECE compare. */
  calibrationBins: 15,
  reviewPageSize: 24,
  /** Evaluation runs listed on the dashboard. */
  evaluationRuns: 10,
  /** Rows per database round trip while streaming the CSV export. */
  exportBatchSize: 2_000,
} as const;

export const API_TOKEN = {
  /** Tokens start with this, so they are recognisable (and scannable) in logs and config files. */
  scheme: 'pl_',
  /** Characters of the token kept in clear to identify it on /account. */
  prefixLength: 10,
  /** Active (unrevoked) tokens one user may hold. */
  maxActivePerUser: 20,
  /**
   * Revoked tokens kept per user, newest first, to show on /account; older
   * ones are deleted as more are revoked, so that creating and revoking in a
   * loop cannot grow the table (or the page) without end.
   */
  maxRevokedKeptPerUser: 20,
  nameMaxLength: 60,
} as const;
