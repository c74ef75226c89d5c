import { z } from 'zod';

/** Deleting the account: the user types their email address to confirm (compared case-insensitively). */
export const deleteAccountSchema = z.object({
  confirmEmail: z.string({ error: 'Type your email address to confirm' }).trim().toLowerCase().min(1, 'Type your email address to confirm').max(254),
});
