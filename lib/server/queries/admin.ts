import 'server-only';

import { z } from 'zod';
import { ADMIN, LABELS, type Label } from '~/lib/config';
import { Prisma } from '~/lib/generated/prisma/client';
import { getDb } from '~/lib/server/db';
import type { AdminFilters, ReviewKind } from '~/lib/validations/admin';

/**
 * The admin dashboard, review queue and export. Every figure is aggregated
 * by PostgreSQL (raw SQL with typed rows); JavaScript only receives counts
 * and ratios, never the predictions themselves. "Confirmed" is the label a
 * user or admin gave as feedback (correctLabel); a prediction is correct
 * when it equals the predicted label. Days and weeks are UTC (weeks start on
 * Monday, as date_trunc('week') does).
 */

/** The WHERE conditions for the filters; `ignoreModel` for the per-version table. */
function filterSql(filters: AdminFilters, { ignoreModel = false } = {}): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (filters.from) parts.push(Prisma.sql`"createdAt" >= ${filters.from}`);
  if (filters.toExclusive) parts.push(Prisma.sql`"createdAt" < ${filters.toExclusive}`);
  if (filters.modelVersion && !ignoreModel) parts.push(Prisma.sql`"modelVersion" = ${filters.modelVersion}`);
  return Prisma.join(parts, ' AND ');
}

function filterWhere(filters: AdminFilters): Prisma.PredictionWhereInput {
  return {
    ...(filters.from || filters.toExclusive
      ? { createdAt: { ...(filters.from ? { gte: filters.from } : {}), ...(filters.toExclusive ? { lt: filters.toExclusive } : {}) } }
      : {}),
    ...(filters.modelVersion ? { modelVersion: filters.modelVersion } : {}),
  };
}

export interface FeedbackOverview {
  total: number;
  withFeedback: number;
  withoutFeedback: number;
  correct: number;
  /** Over predictions with feedback; null when there are none. */
  accuracy: number | null;
}

export async function getFeedbackOverview(filters: AdminFilters): Promise<FeedbackOverview> {
  const [row] = await getDb().$queryRaw<{ total: number; withFeedback: number; correct: number; accuracy: number | null }[]>`
    SELECT count(*)::int AS "total",
           count("correctLabel")::int AS "withFeedback",
           (count(*) FILTER (WHERE "correctLabel" = "label"))::int AS "correct",
           (count(*) FILTER (WHERE "correctLabel" = "label"))::float8 / nullif(count("correctLabel"), 0) AS "accuracy"
    FROM "Prediction"
    WHERE ${filterSql(filters)}`;
  const total = row?.total ?? 0;
  const withFeedback = row?.withFeedback ?? 0;
  return { total, withFeedback, withoutFeedback: total - withFeedback, correct: row?.correct ?? 0, accuracy: row?.accuracy ?? null };
}

export interface ClassStats {
  label: Label;
  precision: number;
  recall: number;
  f1: number;
  /** Predictions whose confirmed label is this class. */
  support: number;
  /** Predictions (with feedback) that predicted this class. */
  predicted: number;
  truePositives: number;
}

/** Per-class precision, recall, F1 and support over predictions with feedback (0 where undefined, as lib/ml/metrics does). */
export async function getPerClassStats(filters: AdminFilters): Promise<ClassStats[]> {
  const rows = await getDb().$queryRaw<{ label: string; truePositives: number; predicted: number; support: number; precision: number; recall: number; f1: number }[]>`
    WITH cells AS (
      SELECT "label", "correctLabel", count(*) AS n
      FROM "Prediction"
      WHERE "correctLabel" IS NOT NULL AND ${filterSql(filters)}
      GROUP BY 1, 2
    ), totals AS (
      SELECT cls,
             coalesce(sum(n) FILTER (WHERE "label" = cls AND "correctLabel" = cls), 0)::float8 AS tp,
             coalesce(sum(n) FILTER (WHERE "label" = cls), 0)::float8 AS predicted,
             coalesce(sum(n) FILTER (WHERE "correctLabel" = cls), 0)::float8 AS support
      FROM unnest(enum_range(NULL::"Label")) AS cls
      LEFT JOIN cells ON TRUE
      GROUP BY cls
    ), ratios AS (
      SELECT *,
             CASE WHEN predicted = 0 THEN 0 ELSE tp / predicted END AS precision,
             CASE WHEN support = 0 THEN 0 ELSE tp / support END AS recall
      FROM totals
    )
    SELECT cls::text AS "label", tp::int AS "truePositives", predicted::int AS "predicted", support::int AS "support",
           precision AS "precision", recall AS "recall",
           CASE WHEN precision + recall = 0 THEN 0 ELSE 2 * precision * recall / (precision + recall) END AS "f1"
    FROM ratios
    ORDER BY cls`;
  return rows.map((row) => ({ ...row, label: toLabel(row.label) }));
}

/** confusion[confirmed][predicted] = count (the orientation of lib/ml/metrics: rows are the true label). */
export type Confusion = Record<Label, Record<Label, number>>;

export async function getConfusion(filters: AdminFilters): Promise<Confusion> {
  const rows = await getDb().$queryRaw<{ confirmed: string; predicted: string; n: number }[]>`
    SELECT "correctLabel"::text AS "confirmed", "label"::text AS "predicted", count(*)::int AS "n"
    FROM "Prediction"
    WHERE "correctLabel" IS NOT NULL AND ${filterSql(filters)}
    GROUP BY 1, 2`;
  const confusion = Object.fromEntries(LABELS.map((t) => [t, Object.fromEntries(LABELS.map((p) => [p, 0]))])) as Confusion;
  for (const row of rows) confusion[toLabel(row.confirmed)][toLabel(row.predicted)] = row.n;
  return confusion;
}

export interface AccuracyPoint {
  /** First day of the period, YYYY-MM-DD (UTC). */
  period: string;
  n: number;
  correct: number;
  accuracy: number;
}

/** Accuracy of predictions with feedback, per UTC day or ISO week (by prediction time), oldest first. */
export function getAccuracyOverTime(filters: AdminFilters, unit: 'day' | 'week'): Promise<AccuracyPoint[]> {
  // Grouped by the truncated timestamp (a hash aggregate over ~one row per
  // day) and formatted afterwards: grouping by the formatted text sorts every row.
  return getDb().$queryRaw<AccuracyPoint[]>`
    SELECT to_char(period, 'YYYY-MM-DD') AS "period", n AS "n", correct AS "correct", correct::float8 / n AS "accuracy"
    FROM (
      SELECT date_trunc(${unit}, "createdAt" AT TIME ZONE 'UTC') AS period,
             count(*)::int AS n,
             (count(*) FILTER (WHERE "correctLabel" = "label"))::int AS correct
      FROM "Prediction"
      WHERE "correctLabel" IS NOT NULL AND ${filterSql(filters)}
      GROUP BY 1
    ) AS periods
    ORDER BY period`;
}

export interface VersionStats {
  modelName: string;
  modelVersion: string;
  total: number;
  withFeedback: number;
  correct: number;
  accuracy: number | null;
  firstAt: Date;
  lastAt: Date;
}

/** Every model version in the date range (the model filter does not apply: this table compares versions). */
export function getPerVersionStats(filters: AdminFilters): Promise<VersionStats[]> {
  return getDb().$queryRaw<VersionStats[]>`
    SELECT "modelName", "modelVersion",
           count(*)::int AS "total",
           count("correctLabel")::int AS "withFeedback",
           (count(*) FILTER (WHERE "correctLabel" = "label"))::int AS "correct",
           (count(*) FILTER (WHERE "correctLabel" = "label"))::float8 / nullif(count("correctLabel"), 0) AS "accuracy",
           min("createdAt") AS "firstAt",
           max("createdAt") AS "lastAt"
    FROM "Prediction"
    WHERE ${filterSql(filters, { ignoreModel: true })}
    GROUP BY 1, 2
    ORDER BY "lastAt" DESC`;
}

export interface HistogramBin {
  bin: number;
  lower: number;
  upper: number;
  total: number;
  /** With feedback, confirmed right. */
  correct: number;
  /** With feedback, corrected. */
  wrong: number;
  noFeedback: number;
}

/** All predictions by confidence, in ADMIN.histogramBins equal-width bins (empty bins included). */
export async function getConfidenceHistogram(filters: AdminFilters): Promise<HistogramBin[]> {
  const bins = ADMIN.histogramBins;
  const rows = await getDb().$queryRaw<Omit<HistogramBin, 'lower' | 'upper'>[]>`
    SELECT least(floor("confidence"::float8 * ${bins}::int), ${bins - 1}::int)::int AS "bin",
           count(*)::int AS "total",
           (count(*) FILTER (WHERE "correctLabel" = "label"))::int AS "correct",
           (count(*) FILTER (WHERE "correctLabel" <> "label"))::int AS "wrong",
           (count(*) FILTER (WHERE "correctLabel" IS NULL))::int AS "noFeedback"
    FROM "Prediction"
    WHERE ${filterSql(filters)}
    GROUP BY 1
    ORDER BY 1`;
  const byBin = new Map(rows.map((row) => [row.bin, row]));
  return Array.from({ length: bins }, (_, bin) => ({
    bin,
    lower: bin / bins,
    upper: (bin + 1) / bins,
    total: byBin.get(bin)?.total ?? 0,
    correct: byBin.get(bin)?.correct ?? 0,
    wrong: byBin.get(bin)?.wrong ?? 0,
    noFeedback: byBin.get(bin)?.noFeedback ?? 0,
  }));
}

export interface ReliabilityBin {
  bin: number;
  lower: number;
  upper: number;
  n: number;
  meanConfidence: number;
  accuracy: number;
}

export interface Calibration {
  /** Only bins that hold predictions. */
  bins: ReliabilityBin[];
  binCount: number;
  /** Expected calibration error (as lib/ml/metrics defines it); null without feedback. */
  ece: number | null;
}

/** Reliability diagram and ECE over predictions with feedback, in ADMIN.calibrationBins bins. */
export async function getCalibration(filters: AdminFilters): Promise<Calibration> {
  const bins = ADMIN.calibrationBins;
  const rows = await getDb().$queryRaw<{ bin: number; n: number; meanConfidence: number; accuracy: number; ece: number }[]>`
    WITH per_bin AS (
      SELECT least(floor("confidence"::float8 * ${bins}::int), ${bins - 1}::int)::int AS bin,
             count(*) AS n,
             avg("confidence"::float8) AS conf,
             avg(("correctLabel" = "label")::int::float8) AS acc
      FROM "Prediction"
      WHERE "correctLabel" IS NOT NULL AND ${filterSql(filters)}
      GROUP BY 1
    )
    SELECT bin AS "bin", n::int AS "n", conf AS "meanConfidence", acc AS "accuracy",
           sum(n * abs(acc - conf)) OVER () / sum(n) OVER () AS "ece"
    FROM per_bin
    ORDER BY bin`;
  return {
    bins: rows.map(({ bin, n, meanConfidence, accuracy }) => ({ bin, lower: bin / bins, upper: (bin + 1) / bins, n, meanConfidence, accuracy })),
    binCount: bins,
    ece: rows[0]?.ece ?? null,
  };
}

const classMetricsSchema = z.object({ precision: z.number(), recall: z.number(), f1: z.number(), support: z.number() });
const perClassSchema = z.object({ cat: classMetricsSchema, dog: classMetricsSchema, neither: classMetricsSchema });

export interface EvaluationRunSummary {
  id: string;
  modelName: string;
  modelVersion: string;
  datasetName: string;
  n: number;
  accuracy: number;
  ece: number;
  eceBins: number;
  perClass: z.infer<typeof perClassSchema> | null;
  createdAt: Date;
}

/** The newest offline evaluation runs. */
export async function getEvaluationRuns({ limit = ADMIN.evaluationRuns }: { limit?: number } = {}): Promise<EvaluationRunSummary[]> {
  const rows = await getDb().evaluationRun.findMany({
    orderBy: { createdAt: 'desc' },
    take: limit,
    select: { id: true, modelName: true, modelVersion: true, datasetName: true, n: true, accuracy: true, ece: true, eceBins: true, perClass: true, createdAt: true },
  });
  return rows.map((row) => {
    const perClass = perClassSchema.safeParse(row.perClass);
    return { ...row, perClass: perClass.success ? perClass.data : null };
  });
}

export interface DashboardStats {
  overview: FeedbackOverview;
  perClass: ClassStats[];
  confusion: Confusion;
  perDay: AccuracyPoint[];
  perWeek: AccuracyPoint[];
  perVersion: VersionStats[];
  histogram: HistogramBin[];
  calibration: Calibration;
  evaluationRuns: EvaluationRunSummary[];
}

/** Everything /admin shows, as parallel aggregate queries. */
export async function getDashboardStats(filters: AdminFilters): Promise<DashboardStats> {
  const [overview, perClass, confusion, perDay, perWeek, perVersion, histogram, calibration, evaluationRuns] = await Promise.all([
    getFeedbackOverview(filters),
    getPerClassStats(filters),
    getConfusion(filters),
    getAccuracyOverTime(filters, 'day'),
    getAccuracyOverTime(filters, 'week'),
    getPerVersionStats(filters),
    getConfidenceHistogram(filters),
    getCalibration(filters),
    getEvaluationRuns(),
  ]);
  return { overview, perClass, confusion, perDay, perWeek, perVersion, histogram, calibration, evaluationRuns };
}

function toLabel(value: string): Label {
  const label = LABELS.find((l) => l === value);
  if (!label) throw new Error(`unexpected label from the database: ${value}`);
  return label;
}

// ---- review queue ----------------------------------------------------------

const confirmedPairs: Prisma.PredictionWhereInput[] = LABELS.map((label) => ({ label, correctLabel: label }));
const misclassified: Prisma.PredictionWhereInput = { correctLabel: { not: null }, NOT: { OR: confirmedPairs } };

function reviewWhere(kind: ReviewKind, threshold: number): Prisma.PredictionWhereInput {
  const low: Prisma.PredictionWhereInput = { confidence: { lt: threshold } };
  if (kind === 'misclassified') return misclassified;
  if (kind === 'low_confidence') return low;
  return { OR: [misclassified, low] };
}

const reviewSelect = {
  id: true,
  label: true,
  confidence: true,
  pCat: true,
  pDog: true,
  pNeither: true,
  correctLabel: true,
  feedbackAt: true,
  modelVersion: true,
  createdAt: true,
  thumbnailWidth: true,
  thumbnailHeight: true,
} satisfies Prisma.PredictionSelect;

export type ReviewItem = Prisma.PredictionGetPayload<{ select: typeof reviewSelect }>;

export interface ReviewPage {
  items: ReviewItem[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

/** Misclassified (confirmed ≠ predicted) and/or low-confidence predictions of every user, newest first. */
export async function getReviewQueue({ kind, threshold, page, pageSize = ADMIN.reviewPageSize }: { kind: ReviewKind; threshold: number; page: number; pageSize?: number }): Promise<ReviewPage> {
  const where = reviewWhere(kind, threshold);
  const db = getDb();
  const [items, total] = await Promise.all([
    db.prediction.findMany({ where, select: reviewSelect, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: (page - 1) * pageSize, take: pageSize }),
    db.prediction.count({ where }),
  ]);
  return { items, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

/** An admin sets or fixes the confirmed label of any prediction. False if it does not exist. */
export async function setConfirmedLabelAsAdmin({ id, correctLabel }: { id: string; correctLabel: Label }): Promise<boolean> {
  const { count } = await getDb().prediction.updateMany({ where: { id }, data: { correctLabel, feedbackAt: new Date() } });
  return count === 1;
}

/** Any prediction's thumbnail: callers must have checked the admin role. */
export async function getPredictionThumbnailForAdmin({ id }: { id: string }): Promise<Uint8Array | null> {
  const row = await getDb().prediction.findUnique({ where: { id }, select: { thumbnail: true } });
  return row?.thumbnail ?? null;
}

// ---- CSV export ------------------------------------------------------------

const exportSelect = {
  id: true,
  createdAt: true,
  userId: true,
  modelName: true,
  modelVersion: true,
  executionProvider: true,
  label: true,
  confidence: true,
  pCat: true,
  pDog: true,
  pNeither: true,
  latencyMs: true,
  correctLabel: true,
  feedbackAt: true,
} satisfies Prisma.PredictionSelect;

export type ExportRow = Prisma.PredictionGetPayload<{ select: typeof exportSelect }>;

/**
 * The filtered predictions (never thumbnails) in batches, oldest first, by
 * keyset pagination on (createdAt, id): each batch is one indexed query, and
 * memory stays at one batch however many rows there are.
 */
export async function* iteratePredictionsForExport(filters: AdminFilters, batchSize: number = ADMIN.exportBatchSize): AsyncGenerator<ExportRow[]> {
  const base = filterWhere(filters);
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const where: Prisma.PredictionWhereInput = after
      ? { AND: [base, { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] }] }
      : base;
    const rows = await getDb().prediction.findMany({ where, select: exportSelect, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: batchSize });
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1]!;
    after = { createdAt: last.createdAt, id: last.id };
    if (rows.length < batchSize) return;
  }
}
