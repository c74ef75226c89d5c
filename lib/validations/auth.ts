import { z } from 'zod';
import { PASSWORD } from '~/lib/config';

export const emailSchema = z
  .string({ error: 'Enter your email address' })
  .trim()
  .toLowerCase()
  .max(254, 'That email address is too long')
  .pipe(z.email({ error: 'Enter a valid email address' }));

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(PASSWORD.maxLength),
});

export const signUpSchema = z.object({
  email: emailSchema,
  password: z
    .string({ error: 'Choose a password' })
    .min(PASSWORD.minLength, `Use at least ${PASSWORD.minLength} characters`)
    .max(PASSWORD.maxLength, `Use at most ${PASSWORD.maxLength} characters`),
});

export type SignInInput = z.infer<typeof signInSchema>;
export type SignUpInput = z.infer<typeof signUpSchema>;
