import { z } from 'zod';
import { PASSWORD } from '~/lib/config';
import { passwordProblem } from '~/lib/validations/password-policy';

export const emailSchema = z
  .string({ error: 'Enter your email address' })
  .trim()
  .toLowerCase()
  .max(254, 'That email address is too long')
  .pipe(z.email({ error: 'Enter a valid email address' }));

/** A password as typed into a form (checked against the stored hash by the caller); `missing` when it is empty. */
export const enteredPassword = (missing: string) => z.string({ error: missing }).min(1, missing).max(PASSWORD.maxLength);

export const signInSchema = z.object({
  email: emailSchema,
  password: enteredPassword('Enter your password'),
});

/** New accounts (and admins from ADMIN_EMAIL/ADMIN_PASSWORD or admin:create): the policy in password-policy.ts. */
export const signUpSchema = z
  .object({
    email: emailSchema,
    password: z.string({ error: 'Choose a password' }),
  })
  .superRefine(({ email, password }, ctx) => {
    const problem = passwordProblem(password, email);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });

export type SignInInput = z.infer<typeof signInSchema>;
export type SignUpInput = z.infer<typeof signUpSchema>;

/** The first message for each of `fields` in a failed parse, for a form's field errors. */
export function firstFieldErrors<F extends string>(error: z.ZodError, fields: readonly F[]): Partial<Record<F, string>> {
  const errors: Partial<Record<F, string>> = {};
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (fields.includes(field as F) && !errors[field as F]) errors[field as F] = issue.message;
  }
  return errors;
}
