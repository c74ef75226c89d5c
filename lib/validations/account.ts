import { z } from 'zod';
import { enteredPassword } from '~/lib/validations/auth';
import { passwordProblem } from '~/lib/validations/password-policy';


/**
 * Deleting the account: the user's password (checked against the stored hash by the action), so that a session left
 * open on a shared computer, or a stolen cookie, cannot delete an account and its history for good.
 */
export const deleteAccountSchema = z.object({
  currentPassword: enteredPassword('Enter your password to confirm'),
});

/**
 * Changing the password: the current one (checked against the stored hash by
 * the action), and a new one that passes the sign-up policy for this
 * account's email and differs from the current one.
 */
export function changePasswordSchema(email: string) {
  return z
    .object({
      currentPassword: enteredPassword('Enter your current password'),
      newPassword: z.string({ error: 'Choose a new password' }),
    })
    .superRefine(({ currentPassword, newPassword }, ctx) => {
      const problem = passwordProblem(newPassword, email) ?? (newPassword === currentPassword ? 'Choose a password different from your current one' : null);
      if (problem) ctx.addIssue({ code: 'custom', path: ['newPassword'], message: problem });
    });
}
