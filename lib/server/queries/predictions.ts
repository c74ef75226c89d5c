import 'server-only';

import type { Label } from '~/lib/config';
import { LABELS } from '~/lib/config';
import { Prisma } from '~/lib/generated/prisma/client';
import { getDb, isUniqueViolation } from '~/lib/server/db';
import type { FeedbackFilter } from '~/lib/validations/prediction';

/**
 * Every function here takes the owner's `userId` and filters by it together
 * with the prediction id: a guessed id of someone else's row finds nothing.
 * The type is `string`, never null: a guest's kept prediction (no owner) is
 * nobody's, so no user query can reach it.
 */

export interface NewPrediction {
  /** Null: a guest's upload kept for review (GUEST_RETENTION_DAYS > 0). */
  userId: string | null;
  label: Label;
  confidence: number;
  probabilities: Record<Label, number>;
  modelName: string;
  modelVersion: string;
  executionProvider: string;
  latencyMs: number;
  sha256: string;
  thumbnail: { webp: Uint8Array; width: number; height: number };
}

function predictionData(input: NewPrediction) {
  return {
    userId: input.userId,
    label: input.label,
    confidence: input.confidence,
    pCat: input.probabilities.cat,
    pDog: input.probabilities.dog,
    pNeither: input.probabilities.neither,
    modelName: input.modelName,
    modelVersion: input.modelVersion,
    executionProvider: input.executionProvider,
    latencyMs: input.latencyMs,
    sha256: input.sha256,
    thumbnail: Uint8Array.from(input.thumbnail.webp),
    thumbnailWidth: input.thumbnail.width,
    thumbnailHeight: input.thumbnail.height,
  } satisfies Prisma.PredictionUncheckedCreateInput;
}

/**
 * Stores one prediction. With an `uploadKey` (one photo card on the upload
 * page), a second call with the same key, owner (or none, for a guest's kept
 * upload) and photo, a retry whose first answer was lost after it was saved,
 * stores nothing more and returns the row already there, with any feedback
 * given to it since. A different photo under a key already used (a client
 * that reuses keys) is stored as a row of its own, without it.
 */
export async function createPrediction(input: NewPrediction & { uploadKey?: string | null }) {
  const db = getDb();
  // ownerLabel: a retry answered with the row already there shows the feedback given to it meanwhile (from another tab).
  const select = { id: true, createdAt: true, ownerLabel: true } as const;
  const data = predictionData(input);
  const insert = (uploadKey: string | null) => db.prediction.create({ data: { ...data, uploadKey }, select });
  const { userId, uploadKey } = input;
  if (!uploadKey) return insert(null);
  try {
    // Inserted first, looked up only when the key is taken: a first try, the usual case, costs one round trip.
    return await insert(uploadKey);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Unique per owner ("Prediction_userId_uploadKey_key"), and among guests' rows ("Prediction_guest_uploadKey_key").
    const stored = await db.prediction.findFirst({ where: { userId, uploadKey }, select: { ...select, sha256: true } });
    if (!stored) throw error;
    const { sha256, ...row } = stored;
    return sha256 === input.sha256 ? row : insert(null);
  }
}

/**
 * Several predictions of one API request, all or none (one transaction), stored only while the API token that sent
 * them is active. The token was checked when the request arrived, but a body may take minutes to arrive, and a token
 * its owner has revoked since ("programs using it stop working at once") must not go on writing to their history.
 * FOR SHARE: a revocation committed before this reads the row is seen here, and one that comes later waits for this
 * save to commit. Null, with nothing stored, when the token has been revoked or deleted (its account with it) since.
 */
export async function createPredictionsForToken(tokenId: string, inputs: readonly NewPrediction[]) {
  return getDb().$transaction(async (tx) => {
    const active = await tx.$queryRaw<unknown[]>`SELECT 1 FROM "ApiToken" WHERE id = ${tokenId}::uuid AND "revokedAt" IS NULL FOR SHARE`;
    if (active.length === 0) return null;
    const rows: { id: string; createdAt: Date }[] = [];
    for (const input of inputs) rows.push(await tx.prediction.create({ data: predictionData(input), select: { id: true, createdAt: true } }));
    return rows;
  });
}

// The owner's history filters by what the owner said, not by an admin's label since.
const confirmedPairs: Prisma.PredictionWhereInput[] = LABELS.map((label) => ({ label, ownerLabel: label }));

function feedbackWhere(feedback: FeedbackFilter): Prisma.PredictionWhereInput {
  switch (feedback) {
    case 'any':
      return {};
    case 'none':
      return { ownerLabel: null };
    case 'given':
      return { ownerLabel: { not: null } };
    case 'confirmed':
      return { OR: confirmedPairs };
    case 'corrected':
      return { ownerLabel: { not: null }, NOT: { OR: confirmedPairs } };
  }
}

/** The columns a history list shows; never the thumbnail bytes. */
const listSelect = {
  id: true,
  label: true,
  confidence: true,
  /** The owner's own feedback: an admin's label is not theirs to be shown as their own. */
  ownerLabel: true,
  createdAt: true,
  thumbnailWidth: true,
  thumbnailHeight: true,
} satisfies Prisma.PredictionSelect;

export type PredictionListItem = Prisma.PredictionGetPayload<{ select: typeof listSelect }>;

export interface PredictionPage {
  items: PredictionListItem[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

/** A page of the user's predictions, newest first, optionally filtered. */
export async function getPredictionsByUserId({
  userId,
  page = 1,
  pageSize,
  label = 'all',
  feedback = 'any',
}: {
  userId: string;
  page?: number;
  pageSize: number;
  label?: Label | 'all';
  feedback?: FeedbackFilter;
}): Promise<PredictionPage> {
  const where: Prisma.PredictionWhereInput = {
    userId,
    ...(label === 'all' ? {} : { label }),
    ...feedbackWhere(feedback),
  };
  const db = getDb();
  const [items, total] = await Promise.all([
    db.prediction.findMany({
      where,
      select: listSelect,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    db.prediction.count({ where }),
  ]);
  return { items, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

const detailSelect = {
  ...listSelect,
  pCat: true,
  pDog: true,
  pNeither: true,
  modelName: true,
  modelVersion: true,
  executionProvider: true,
  latencyMs: true,
  sha256: true,
} satisfies Prisma.PredictionSelect;

export type PredictionDetail = Prisma.PredictionGetPayload<{ select: typeof detailSelect }>;

/** One prediction if `userId` owns it, else null. */
export function getPredictionForUser({ id, userId }: { id: string; userId: string }): Promise<PredictionDetail | null> {
  return getDb().prediction.findFirst({ where: { id, userId }, select: detailSelect });
}

export async function getPredictionThumbnailForUser({ id, userId }: { id: string; userId: string }): Promise<Uint8Array | null> {
  const row = await getDb().prediction.findFirst({ where: { id, userId }, select: { thumbnail: true } });
  return row?.thumbnail ?? null;
}

/**
 * Stores the user's own label. A new word from them (a label other than the
 * one they gave before) is what the accuracy figures count from then on: the
 * latest word counts, as an admin's counts over the owner's before it. Where
 * that changes the label counted, it also clears an admin's review mark, so the
 * prediction is back in the review queue if it belongs there. Their same label
 * again changes nothing but, where no admin has labelled the prediction since,
 * the feedback's time; agreeing with an admin's label keeps the review mark.
 * Returns false if the user does not own the prediction.
 */
export async function setPredictionFeedback({ id, userId, correctLabel }: { id: string; userId: string; correctLabel: Label }): Promise<boolean> {
  const label = Prisma.sql`${correctLabel}::"Label"`;
  const newWord = Prisma.sql`"ownerLabel" IS DISTINCT FROM ${label}`;
  const countedChanges = Prisma.sql`(${newWord} AND "correctLabel" IS DISTINCT FROM ${label})`;
  // The app's clock, not the database's now(): an admin's label (setConfirmedLabelAsAdmin) is stamped with it too, and
  // feedbackAt and reviewedAt are read side by side to tell which came last (as the owner_label migration did), so
  // both must come from one clock. What counts now is decided from the labels above, not from the times.
  const feedbackAt = new Date();
  // One statement: every SET reads the row as it was, so what changes is decided on the row it changes.
  const count = await getDb().$executeRaw`
    UPDATE "Prediction"
    SET "reviewedAt" = CASE WHEN ${countedChanges} THEN NULL ELSE "reviewedAt" END,
        "feedbackAt" = CASE WHEN ${countedChanges} OR "reviewedAt" IS NULL THEN ${feedbackAt}::timestamptz ELSE "feedbackAt" END,
        "correctLabel" = CASE WHEN ${newWord} THEN ${label} ELSE "correctLabel" END,
        "ownerLabel" = ${label}
    WHERE "id" = ${id}::uuid AND "userId" = ${userId}::uuid`;
  return count === 1;
}

/** Deletes the prediction and its thumbnail (same row). Returns false if the user does not own it. */
export async function deletePredictionForUser({ id, userId }: { id: string; userId: string }): Promise<boolean> {
  const { count } = await getDb().prediction.deleteMany({ where: { id, userId } });
  return count === 1;
}
