/**
 * @file The serializable state admin actions return to their client forms.
 */
import type { Label } from '~/lib/config';

export type AdminLabelState =
  | { status: 'success'; predictionId: string; correctLabel: Label }
  | { status: 'invalid_data' | 'unauthorized' | 'forbidden' | 'not_found' | 'failed'; message: string };

/** A purge on /admin/data: what it removed, counted by the database. */
export type AdminPurgeState =
  | { status: 'idle' }
  | { status: 'success'; message: string; predictions: number; apiTokens: number; users: number }
  /** `field`: the form field the message is about (shown under it), absent when it is about the whole purge. */
  | { status: 'invalid_data' | 'unauthorized' | 'forbidden' | 'not_found' | 'failed'; message: string; field?: PurgeField };

/** The purge forms' fields a refusal can be about. */
export const PURGE_FIELDS = ['confirm', 'before', 'email'] as const;
export type PurgeField = (typeof PURGE_FIELDS)[number];
