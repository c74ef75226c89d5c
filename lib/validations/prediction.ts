import { z } from 'zod';
import { HISTORY, LABELS } from '~/lib/config';
import { formatBytes } from '~/lib/format';

export const labelSchema = z.enum(LABELS);

export const predictionIdSchema = z.uuid({ error: 'Unknown prediction' });

/** One uploaded file from a form; the real format is checked later by decoding it. */
export function uploadSchema(maxBytes: number) {
  return z.object({
    file: z
      .instanceof(Blob, { error: 'Choose an image to upload' })
      .refine((file) => file.size > 0, 'The file is empty')
      .refine((file) => file.size <= maxBytes, `The file is larger than ${formatBytes(maxBytes)}`),
    /** The photo card's random key (components/upload): a retry of the same card is stored once. Anything else is ignored. */
    uploadKey: uploadKeySchema.nullable().catch(null),
  });
}

/** 128 random bits, base64url (newUploadKey in components/upload/upload-key.ts). */
export const uploadKeySchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

export const feedbackSchema = z.object({
  predictionId: predictionIdSchema,
  correctLabel: labelSchema,
});

export const FEEDBACK_FILTERS = ['any', 'none', 'given', 'confirmed', 'corrected'] as const;
export type FeedbackFilter = (typeof FEEDBACK_FILTERS)[number];

/** History's query string. Bad values fall back to defaults instead of failing the page. */
export const historyQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  label: z.enum(['all', ...LABELS]).catch('all'),
  feedback: z.enum(FEEDBACK_FILTERS).catch('any'),
  pageSize: z.coerce.number().int().min(1).max(HISTORY.maxPageSize).catch(HISTORY.pageSize),
});

export type HistoryQuery = z.infer<typeof historyQuerySchema>;

/**
 * The history list's query from a page's search parameters (the list's own, or a prediction's page opened from it);
 * a value that is missing, repeated or invalid falls back to its default.
 */
export function parseHistoryQuery(params: Record<string, unknown>): HistoryQuery {
  return historyQuerySchema.parse({ page: params.page, label: params.label, feedback: params.feedback, pageSize: params.pageSize });
}
