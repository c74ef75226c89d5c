import { z } from 'zod';
import { emailSchema } from '~/lib/validations/auth';
import { labelSchema, predictionIdSchema } from '~/lib/validations/prediction';

const DAY_MS = 86_400_000;

/**
 * YYYY-MM-DD that is a real calendar day (UTC). Year 0000 is one to
 * JavaScript but not to PostgreSQL, whose calendar goes from 1 BC to AD 1,
 * so it would fail the query instead of filtering it.
 */
const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Choose a day')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value && date.getUTCFullYear() >= 1;
  }, 'That is not a calendar day');

/** A calendar day, or undefined. */
const isoDay = calendarDay.optional().catch(undefined);

/**
 * The dashboard's and the export's query string. Bad values fall back to
 * "no filter" instead of failing the page; days are UTC and both ends are
 * inclusive.
 */
export const adminFilterQuerySchema = z
  .object({
    from: isoDay,
    to: isoDay,
    // NAME@VERSION: room for a long model name beside its version.
    model: z.string().trim().min(1).max(300).optional().catch(undefined),
  })
  .transform((query) => (query.from && query.to && query.from > query.to ? { ...query, from: query.to, to: query.from } : query));

export type AdminFilterQuery = z.infer<typeof adminFilterQuerySchema>;

/** One model: its card's name and version, as each prediction records them. */
export interface ModelFilter {
  /** null: any model of this version (a bare version in the URL). */
  name: string | null;
  version: string;
}

/**
 * The `model` parameter's value for one model, `NAME@VERSION`: the dashboard's per-version table tells models apart by
 * both, so a version alone could mix two models that share it.
 */
export function modelFilterValue(model: { modelName: string; modelVersion: string }): string {
  return `${model.modelName}@${model.modelVersion}`;
}

/** `NAME@VERSION` (the last `@` splits them), or a bare `VERSION`, which keeps older links working. */
export function parseModelFilter(value: string): ModelFilter {
  const at = value.lastIndexOf('@');
  return at > 0 ? { name: value.slice(0, at), version: value.slice(at + 1) } : { name: null, version: value };
}

/** What the SQL filters on: [from, toExclusive) and one model. */
export interface AdminFilters {
  from: Date | null;
  toExclusive: Date | null;
  model: ModelFilter | null;
}

export function toAdminFilters(query: AdminFilterQuery): AdminFilters {
  return {
    from: query.from ? new Date(`${query.from}T00:00:00Z`) : null,
    toExclusive: query.to ? new Date(new Date(`${query.to}T00:00:00Z`).getTime() + DAY_MS) : null,
    model: query.model ? parseModelFilter(query.model) : null,
  };
}

export const REVIEW_KINDS = ['all', 'misclassified', 'low_confidence'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

/** The review queue's query string. */
export const reviewQuerySchema = z.object({
  kind: z.enum(REVIEW_KINDS).catch('all'),
  /** `reviewed=1`: also the predictions an admin has already confirmed or fixed. */
  reviewed: z
    .literal('1')
    .optional()
    .catch(undefined)
    .transform((value) => value === '1'),
  /** Keyset cursors (a prediction id): the page just older, or just newer, than it. A bad value is ignored. */
  older: predictionIdSchema.optional().catch(undefined),
  newer: predictionIdSchema.optional().catch(undefined),
});


/** An admin setting or fixing the confirmed label of any prediction. */
export const adminLabelSchema = z.object({
  predictionId: predictionIdSchema,
  correctLabel: labelSchema,
});

// ---- data purge (/admin/data) ---------------------------------------------

/** What an admin types to confirm a purge: a deliberate act, not a stray click. */
export const PURGE_CONFIRMATION = 'PURGE';

const purgeConfirmation = z
  .string({ error: `Type ${PURGE_CONFIRMATION} to confirm` })
  .trim()
  .refine((value) => value === PURGE_CONFIRMATION, `Type ${PURGE_CONFIRMATION} to confirm`);

export const purgeGuestPredictionsSchema = z.object({ confirm: purgeConfirmation });

/**
 * Purging everyone's predictions created before a day (00:00 UTC). The day
 * may not lie in the future: "before tomorrow" would reach rows made after
 * the admin looked at the page.
 */
export const purgePredictionsBeforeSchema = z.object({
  confirm: purgeConfirmation,
  before: z
    .string({ error: 'Choose a day' })
    .pipe(calendarDay.refine((day) => day <= new Date().toISOString().slice(0, 10), 'Choose today or an earlier day'))
    .transform((day) => new Date(`${day}T00:00:00Z`)),
});

export const adminDeleteUserSchema = z.object({ confirm: purgeConfirmation, email: emailSchema });
