import 'server-only';

import { z } from 'zod';
import { ADMIN, LABELS, type Label } from '~/lib/config';
import { purgeGuestPredictions } from '~/lib/db/guest-retention';
import { Prisma } from '~/lib/generated/prisma/client';
import { classCounts, classMetrics, emptyConfusion, type ClassCounts, type ClassMetrics, type Confusion, perClassMetrics } from '~/lib/ml/metrics';
import { classMetricsSchema } from '~/lib/ml/model-card';
import { getDb } from '~/lib/server/db';
import type { AdminFilters, ReviewKind } from '~/lib/validations/admin';

/**
 * The admin dashboard, review queue and export. Every figure is aggregated
 * by PostgreSQL (raw SQL with typed rows); JavaScript only receives a few
 * dozen aggregate rows, never the predictions themselves. "Confirmed" is the label a
 * user or admin gave as feedback (correctLabel); a prediction is correct
 * when it equals the predicted label. Days and weeks are UTC (weeks start on
 * Monday, as date_trunc('week') does).
 */

/** The WHERE conditions for the filters; `ignoreModel` for the per-version table. */
function filterSql(filters: AdminFilters, { ignoreModel = false } = {}): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (filters.from) parts.push(Prisma.sql`"createdAt" >= ${filters.from}`);
  if (filters.toExclusive) parts.push(Prisma.sql`"createdAt" < ${filters.toExclusive}`);
  if (filters.model && !ignoreModel) {
    parts.push(Prisma.sql`"modelVersion" = ${filters.model.version}`);
    if (filters.model.name !== null) parts.push(Prisma.sql`"modelName" = ${filters.model.name}`);
  }
  return Prisma.join(parts, ' AND ');
}

function filterWhere(filters: AdminFilters): Prisma.PredictionWhereInput {
  return {
    ...(filters.from || filters.toExclusive
      ? { createdAt: { ...(filters.from ? { gte: filters.from } : {}), ...(filters.toExclusive ? { lt: filters.toExclusive } : {}) } }
      : {}),
    ...(filters.model ? { modelVersion: filters.model.version, ...(filters.model.name !== null ? { modelName: filters.model.name } : {}) } : {}),
  };
}

export interface FeedbackOverview {
  total: number;
  withFeedback: number;
  withoutFeedback: number;
  correct: number;
  /** Over predictions with feedback; null when there are none. */
  accuracy: number | null;
  /**
   * Of `withFeedback`, those whose owner gave feedback. The others were labelled by an admin alone, from the review
   * queue, which offers only low-confidence predictions (and guests' kept uploads, whose owners cannot give feedback):
   * a different sample, likely with more mistakes in it, which `accuracy` mixes in.
   */
  fromOwners: number;
  ownersCorrect: number;
  /** Over predictions whose owner gave feedback (the confirmed label, an admin's where one corrected it); null when there are none. */
  ownersAccuracy: number | null;
}

/** Support counts predictions whose confirmed label is this class; predicted, those (with feedback) that predicted it. */
export interface ClassStats extends ClassMetrics, ClassCounts {
  label: Label;
}

/** confusion[confirmed][predicted] = count (rows are the true label, as in lib/ml/metrics). */
export type { Confusion };

export interface AccuracyPoint {
  /** First day of the period, YYYY-MM-DD (UTC). */
  period: string;
  n: number;
  correct: number;
  accuracy: number;
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

export interface FeedbackAggregates {
  perClass: ClassStats[];
  confusion: Confusion;
  perDay: AccuracyPoint[];
  perWeek: AccuracyPoint[];
  calibration: Calibration;
}

/**
 * The figures over predictions with feedback, as three aggregate queries
 * that PostgreSQL runs in parallel (each one pass over an index: the
 * (correctLabel, label) index or the partial covering index of the rows
 * with feedback): the confusion cells, accuracy per UTC day (and per week,
 * summed from the days in the same statement) and the calibration bins.
 * JavaScript receives a few dozen aggregate rows and takes the ratios
 * (precision, recall, F1, accuracy, ECE) from those counts.
 */
export async function getFeedbackAggregates(filters: AdminFilters): Promise<FeedbackAggregates> {
  const bins = ADMIN.calibrationBins;
  const where = filterSql(filters);
  const db = getDb();
  const [cells, periods, binRows] = await Promise.all([
    db.$queryRaw<{ predicted: string; confirmed: string; n: number }[]>`
      SELECT "label"::text AS "predicted", "correctLabel"::text AS "confirmed", count(*)::int AS "n"
      FROM "Prediction"
      WHERE "correctLabel" IS NOT NULL AND ${where}
      GROUP BY "label", "correctLabel"`,
    // Days by a date cast (cheaper per row than date_trunc); ISO weeks (from Monday) summed from the days.
    db.$queryRaw<{ unit: 'day' | 'week'; period: string; n: number; correct: number }[]>`
      WITH days AS (
        SELECT ("createdAt" AT TIME ZONE 'UTC')::date AS day,
               count(*)::int AS n,
               (count(*) FILTER (WHERE "correctLabel" = "label"))::int AS correct
        FROM "Prediction"
        WHERE "correctLabel" IS NOT NULL AND ${where}
        GROUP BY 1
      )
      SELECT 'day' AS "unit", to_char(day, 'YYYY-MM-DD') AS "period", n AS "n", correct AS "correct" FROM days
      UNION ALL
      SELECT 'week', to_char(day - (extract(isodow FROM day)::int - 1), 'YYYY-MM-DD'), sum(n)::int, sum(correct)::int
      FROM days
      GROUP BY day - (extract(isodow FROM day)::int - 1)`,
    db.$queryRaw<{ bin: number; n: number; correct: number; confidenceSum: number }[]>`
      SELECT least(floor("confidence"::float8 * ${bins}::int), ${bins - 1}::int)::int AS "bin",
             count(*)::int AS "n",
             (count(*) FILTER (WHERE "correctLabel" = "label"))::int AS "correct",
             sum("confidence"::float8) AS "confidenceSum"
      FROM "Prediction"
      WHERE "correctLabel" IS NOT NULL AND ${where}
      GROUP BY 1`,
  ]);

  const confusion = emptyConfusion();
  for (const cell of cells) confusion[toLabel(cell.confirmed)][toLabel(cell.predicted)] = cell.n;
  const point = (row: { period: string; n: number; correct: number }): AccuracyPoint => ({ period: row.period, n: row.n, correct: row.correct, accuracy: row.correct / row.n });
  const byPeriod = (a: AccuracyPoint, b: AccuracyPoint) => a.period.localeCompare(b.period);
  const perDay = periods.filter((row) => row.unit === 'day').map(point).sort(byPeriod);
  const perWeek = periods.filter((row) => row.unit === 'week').map(point).sort(byPeriod);
  const reliability = binRows
    .map((row): ReliabilityBin => ({ bin: row.bin, lower: row.bin / bins, upper: (row.bin + 1) / bins, n: row.n, meanConfidence: row.confidenceSum / row.n, accuracy: row.correct / row.n }))
    .sort((a, b) => a.bin - b.bin);

  const perClass = LABELS.map((label): ClassStats => {
    const counts = classCounts(confusion, label);
    return { label, ...counts, ...classMetrics(counts) };
  });
  const n = reliability.reduce((s, b) => s + b.n, 0);
  const ece = n === 0 ? null : reliability.reduce((s, b) => s + (b.n / n) * Math.abs(b.accuracy - b.meanConfidence), 0);
  return { perClass, confusion, perDay, perWeek, calibration: { bins: reliability, binCount: bins, ece } };
}

/**
 * One pass over all the filtered predictions, grouped by confidence bin (a
 * hash aggregate); window sums over those groups give the totals, so the
 * counts with and without feedback come from the same statement.
 */
export async function getPredictionAggregates(filters: AdminFilters): Promise<{ overview: FeedbackOverview; histogram: HistogramBin[] }> {
  const bins = ADMIN.histogramBins;
  const rows = await getDb().$queryRaw<
    { bin: number; total: number; withFeedback: number; correct: number; wrong: number; allTotal: number; allWithFeedback: number; allCorrect: number; allFromOwners: number; allOwnersCorrect: number }[]
  >`
    SELECT least(floor("confidence"::float8 * ${bins}::int), ${bins - 1}::int)::int AS "bin",
           count(*)::int AS "total",
           count("correctLabel")::int AS "withFeedback",
           (count(*) FILTER (WHERE "correctLabel" = "label"))::int AS "correct",
           (count(*) FILTER (WHERE "correctLabel" <> "label"))::int AS "wrong",
           (sum(count(*)) OVER ())::int AS "allTotal",
           (sum(count("correctLabel")) OVER ())::int AS "allWithFeedback",
           (sum(count(*) FILTER (WHERE "correctLabel" = "label")) OVER ())::int AS "allCorrect",
           (sum(count(*) FILTER (WHERE "ownerLabel" IS NOT NULL AND "correctLabel" IS NOT NULL)) OVER ())::int AS "allFromOwners",
           (sum(count(*) FILTER (WHERE "ownerLabel" IS NOT NULL AND "correctLabel" = "label")) OVER ())::int AS "allOwnersCorrect"
    FROM "Prediction"
    WHERE ${filterSql(filters)}
    GROUP BY 1`;
  const total = rows[0]?.allTotal ?? 0;
  const withFeedback = rows[0]?.allWithFeedback ?? 0;
  const correct = rows[0]?.allCorrect ?? 0;
  const fromOwners = rows[0]?.allFromOwners ?? 0;
  const ownersCorrect = rows[0]?.allOwnersCorrect ?? 0;
  const byBin = new Map(rows.map((row) => [row.bin, row]));
  const histogram = Array.from({ length: bins }, (_, bin): HistogramBin => {
    const row = byBin.get(bin);
    return {
      bin,
      lower: bin / bins,
      upper: (bin + 1) / bins,
      total: row?.total ?? 0,
      correct: row?.correct ?? 0,
      wrong: row?.wrong ?? 0,
      noFeedback: row ? row.total - row.withFeedback : 0,
    };
  });
  return {
    overview: {
      total,
      withFeedback,
      withoutFeedback: total - withFeedback,
      correct,
      accuracy: withFeedback === 0 ? null : correct / withFeedback,
      fromOwners,
      ownersCorrect,
      ownersAccuracy: fromOwners === 0 ? null : ownersCorrect / fromOwners,
    },
    histogram,
  };
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

// The model card's per-class figures; runs recorded before undefined ratios were stored as null hold 0 there.
const perClassSchema = z.object({ cat: classMetricsSchema, dog: classMetricsSchema, neither: classMetricsSchema });
const confusionRowSchema = z.object({ cat: z.number().int().nonnegative(), dog: z.number().int().nonnegative(), neither: z.number().int().nonnegative() });
const confusionSchema = z.object({ cat: confusionRowSchema, dog: confusionRowSchema, neither: confusionRowSchema });

/**
 * A stored run's per-class figures, worked out again from its confusion
 * matrix with today's rules, so that runs stored under older ones (an F1 of
 * null where it is now 0, say) read the same as new runs; the stored figures
 * only where the matrix cannot be read.
 */
function runPerClass(perClass: unknown, storedConfusion: unknown): z.infer<typeof perClassSchema> | null {
  const confusion = confusionSchema.safeParse(storedConfusion);
  if (confusion.success) return perClassMetrics(confusion.data);
  const stored = perClassSchema.safeParse(perClass);
  return stored.success ? stored.data : null;
}

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

const evaluationRunSelect = { id: true, modelName: true, modelVersion: true, datasetName: true, n: true, accuracy: true, ece: true, eceBins: true, perClass: true, confusion: true, createdAt: true } satisfies Prisma.EvaluationRunSelect;

async function findEvaluationRuns(query: { where?: Prisma.EvaluationRunWhereInput; take?: number }): Promise<EvaluationRunSummary[]> {
  const rows = await getDb().evaluationRun.findMany({ ...query, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: evaluationRunSelect });
  return rows.map(({ confusion, ...row }) => ({ ...row, perClass: runPerClass(row.perClass, confusion) }));
}

/** The newest offline evaluation runs. */
export function getEvaluationRuns({ limit = ADMIN.evaluationRuns }: { limit?: number } = {}): Promise<EvaluationRunSummary[]> {
  return findEvaluationRuns({ take: limit });
}

/**
 * The newest run of each model version that has one, however long ago: the
 * per-version table's "offline accuracy", which the newest runs alone would
 * lose for an older version once newer runs outnumber the list.
 */
export async function getLatestEvaluationRunPerVersion(): Promise<EvaluationRunSummary[]> {
  const latest = await getDb().$queryRaw<{ id: string }[]>`
    SELECT DISTINCT ON ("modelName", "modelVersion") "id" FROM "EvaluationRun"
    ORDER BY "modelName", "modelVersion", "createdAt" DESC, "id" DESC`;
  return latest.length === 0 ? [] : findEvaluationRuns({ where: { id: { in: latest.map((run) => run.id) } } });
}

export interface DashboardStats extends FeedbackAggregates {
  overview: FeedbackOverview;
  histogram: HistogramBin[];
  perVersion: VersionStats[];
  evaluationRuns: EvaluationRunSummary[];
  latestRunPerVersion: EvaluationRunSummary[];
}

/** Everything /admin shows: five aggregate queries and the runs (the newest, and the newest per version), in parallel. */
export async function getDashboardStats(filters: AdminFilters): Promise<DashboardStats> {
  const [feedback, predictions, perVersion, evaluationRuns, latestRunPerVersion] = await Promise.all([
    getFeedbackAggregates(filters),
    getPredictionAggregates(filters),
    getPerVersionStats(filters),
    getEvaluationRuns(),
    getLatestEvaluationRunPerVersion(),
  ]);
  return { ...feedback, ...predictions, perVersion, evaluationRuns, latestRunPerVersion };
}

function toLabel(value: string | null): Label {
  const label = LABELS.find((l) => l === value);
  if (!label) throw new Error(`unexpected label from the database: ${String(value)}`);
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
  /** What the owner said, which the admin sees beside the label that counts (their own, once given). */
  ownerLabel: true,
  feedbackAt: true,
  reviewedAt: true,
  modelVersion: true,
  createdAt: true,
  thumbnailWidth: true,
  thumbnailHeight: true,
  /** Null: a guest's upload kept for review. */
  userId: true,
} satisfies Prisma.PredictionSelect;

export type ReviewItem = Prisma.PredictionGetPayload<{ select: typeof reviewSelect }>;

/** Where a review page starts: just older, or just newer, than this prediction (its id). */
export interface ReviewCursor {
  direction: 'older' | 'newer';
  id: string;
}

export interface ReviewPage {
  items: ReviewItem[];
  total: number;
  /** This page's place, 1-based: the items newer than its first, in pages, plus one. */
  page: number;
  pageCount: number;
  pageSize: number;
  /** Cursors to the neighbouring pages, null at either end. */
  newer: ReviewCursor | null;
  older: ReviewCursor | null;
}

type Position = { createdAt: Date; id: string };

/** After `position` in the queue's order (newest first, ties by id): older. */
function olderThan({ createdAt, id }: Position): Prisma.PredictionWhereInput {
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}

function newerThan({ createdAt, id }: Position): Prisma.PredictionWhereInput {
  return { OR: [{ createdAt: { gt: createdAt } }, { createdAt, id: { gt: id } }] };
}

/** `position` itself and what is newer. */
function atOrNewerThan({ createdAt, id }: Position): Prisma.PredictionWhereInput {
  return { OR: [{ createdAt: { gt: createdAt } }, { createdAt, id: { gte: id } }] };
}

const NEWEST_FIRST = [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.PredictionOrderByWithRelationInput[];
const OLDEST_FIRST = [{ createdAt: 'asc' }, { id: 'asc' }] satisfies Prisma.PredictionOrderByWithRelationInput[];

/**
 * Misclassified (confirmed ≠ predicted) and/or low-confidence predictions of
 * every user that no admin has reviewed since the user's last feedback (all
 * of them with `includeReviewed`), newest first, one page at a time by keyset
 * on (createdAt, id), as the export pages. Not by offset: confirming or fixing
 * a label takes the prediction out of the queue, and with offsets the next
 * page would then start that many items further on, so they would never be
 * shown. A cursor naming a prediction that is gone starts at the newest; one
 * past the end (the last items labelled away) shows the oldest page.
 */
export async function getReviewQueue({
  kind,
  threshold,
  includeReviewed = false,
  cursor = null,
  pageSize = ADMIN.reviewPageSize,
}: {
  kind: ReviewKind;
  threshold: number;
  includeReviewed?: boolean;
  cursor?: ReviewCursor | null;
  pageSize?: number;
}): Promise<ReviewPage> {
  const where: Prisma.PredictionWhereInput = includeReviewed ? reviewWhere(kind, threshold) : { AND: [reviewWhere(kind, threshold), { reviewedAt: null }] };
  const db = getDb();
  const newest = () => db.prediction.findMany({ where, select: reviewSelect, orderBy: NEWEST_FIRST, take: pageSize });
  const oldest = async () => (await db.prediction.findMany({ where, select: reviewSelect, orderBy: OLDEST_FIRST, take: pageSize })).reverse();
  // What is newer than the page: nothing at the newest end, everything else at the oldest (null: taken
  // from the total). A middle page is read together with that count, taken from the anchor (no item of
  // the queue lies between the anchor and the page): two round trips, not three.
  const readPage = async (): Promise<{ items: ReviewItem[]; newerThanPage: number | null }> => {
    const anchor = cursor ? await db.prediction.findUnique({ where: { id: cursor.id }, select: { createdAt: true, id: true } }) : null;
    if (!cursor || !anchor) return { items: await newest(), newerThanPage: 0 };
    if (cursor.direction === 'older') {
      const [items, atOrNewer] = await Promise.all([
        db.prediction.findMany({ where: { AND: [where, olderThan(anchor)] }, select: reviewSelect, orderBy: NEWEST_FIRST, take: pageSize }),
        db.prediction.count({ where: { AND: [where, atOrNewerThan(anchor)] } }),
      ]);
      // Past the end (the last items labelled away): the oldest page; the count is not needed then.
      return items.length === 0 ? { items: await oldest(), newerThanPage: null } : { items, newerThanPage: atOrNewer };
    }
    const [above, newer] = await Promise.all([
      db.prediction.findMany({ where: { AND: [where, newerThan(anchor)] }, select: reviewSelect, orderBy: OLDEST_FIRST, take: pageSize }),
      db.prediction.count({ where: { AND: [where, newerThan(anchor)] } }),
    ]);
    // Fewer than a page left above: the newest page, full.
    return above.length < pageSize ? { items: await newest(), newerThanPage: 0 } : { items: above.reverse(), newerThanPage: newer - above.length };
  };
  // The total does not depend on the page, so it is counted while the page is read.
  const [total, { items, newerThanPage }] = await Promise.all([db.prediction.count({ where }), readPage()]);
  const first = items[0];
  const last = items[items.length - 1];
  const newer = newerThanPage ?? Math.max(0, total - items.length);
  const older = Math.max(0, total - newer - items.length);
  const page = Math.ceil(newer / pageSize) + 1;
  return {
    items,
    total,
    page,
    pageCount: page + Math.ceil(older / pageSize),
    pageSize,
    newer: first && newer > 0 ? { direction: 'newer', id: first.id } : null,
    older: last && older > 0 ? { direction: 'older', id: last.id } : null,
  };
}

/**
 * An admin sets or fixes the confirmed label of any prediction, which marks it
 * reviewed (out of the review queue). The owner's own feedback (ownerLabel)
 * stays as they gave it. False if the prediction does not exist.
 */
export async function setConfirmedLabelAsAdmin({ id, correctLabel }: { id: string; correctLabel: Label }): Promise<boolean> {
  const now = new Date();
  const { count } = await getDb().prediction.updateMany({ where: { id }, data: { correctLabel, feedbackAt: now, reviewedAt: now } });
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
  ownerLabel: true,
  feedbackAt: true,
  reviewedAt: true,
} satisfies Prisma.PredictionSelect;

export type ExportRow = Prisma.PredictionGetPayload<{ select: typeof exportSelect }>;

/**
 * The filtered predictions (never thumbnails) in batches, oldest first, by
 * keyset pagination on (createdAt, id): each batch is one indexed query, and
 * memory stays at one batch however many rows there are.
 */
export async function* iteratePredictionsForExport(filters: AdminFilters, batchSize: number = ADMIN.exportBatchSize): AsyncGenerator<ExportRow[]> {
  const base = filterWhere(filters);
  let after: Position | null = null;
  for (;;) {
    const where: Prisma.PredictionWhereInput = after ? { AND: [base, newerThan(after)] } : base;
    const rows = await getDb().prediction.findMany({ where, select: exportSelect, orderBy: OLDEST_FIRST, take: batchSize });
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1]!;
    after = { createdAt: last.createdAt, id: last.id };
    if (rows.length < batchSize) return;
  }
}

// ---- data purge ------------------------------------------------------------

export interface DataOverview {
  predictions: number;
  /** Kept guest uploads (no owner). */
  guestPredictions: number;
  oldestGuestAt: Date | null;
  oldestAt: Date | null;
}

/** What /admin/data shows before a purge. */
export async function getDataOverview(): Promise<DataOverview> {
  const db = getDb();
  const [all, guests] = await Promise.all([
    db.prediction.aggregate({ _count: { _all: true }, _min: { createdAt: true } }),
    db.prediction.aggregate({ where: { userId: null }, _count: { _all: true }, _min: { createdAt: true } }),
  ]);
  return { predictions: all._count._all, guestPredictions: guests._count._all, oldestGuestAt: guests._min.createdAt, oldestAt: all._min.createdAt };
}

/** Every kept guest upload, whatever its age. Returns how many rows went. */
export function purgeAllGuestPredictions(): Promise<number> {
  return purgeGuestPredictions(getDb());
}

/** Everyone's predictions (users' and guests') created before `before`. Returns how many rows went. */
export async function purgePredictionsCreatedBefore(before: Date): Promise<number> {
  const { count } = await getDb().prediction.deleteMany({ where: { createdAt: { lt: before } } });
  return count;
}
