/**
 * @file The password policy for new accounts and admins: 10 to 128
 * characters, not the email address (or its name part), not a well-known
 * password (also with digits or symbols added at the end), and not one
 * character repeated. Shared by the sign-up form's schema and ensureAdmin.
 */
import { PASSWORD } from '~/lib/config';

/**
 * A short list of the most used passwords and their stems (from the public
 * top-password lists); a stem also catches "password123!", "Dragon2024" and
 * the like. Deliberately small: length does most of the work.
 */
const COMMON = new Set([
  'password', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'passwort', 'motdepasse', 'contraseña', 'qwerty', 'qwertyuiop', 'qwertyuiop[]',
  'azerty', 'asdfghjkl', 'asdfasdfasdf', 'zxcvbnm', '1q2w3e4r5t', '1qaz2wsx', 'qazwsx', 'abc123', 'abcdefghij', 'iloveyou',
  'letmein', 'welcome', 'admin', 'administrator', 'root', 'login', 'master', 'secret', 'changeme', 'default',
  'monkey', 'dragon', 'football', 'baseball', 'soccer', 'hockey', 'basketball', 'superman', 'batman', 'starwars',
  'sunshine', 'princess', 'shadow', 'michael', 'jennifer', 'jordan', 'hunter', 'trustno1', 'whatever', 'freedom',
  'cat', 'cats', 'dog', 'dogs', 'kitty', 'puppy', 'petlens', 'catordog', 'catsanddogs', 'doggy',
  'pokemon', 'computer', 'internet', 'samsung', 'google', 'chocolate', 'liverpool', 'chelsea', 'arsenal', 'charlie',
  'correcthorsebatterystaple',
]);

/** Digits (incl. sequences like 1234567890) and the usual trailing symbols. */
const TRAILING = /[\d\s!@#$%^&*()_+\-=.?]+$/;

function stem(value: string): string {
  return value.toLowerCase().replace(TRAILING, '');
}

/** Why `password` is not acceptable for `email`, or null when it is. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD.minLength) return `Use at least ${PASSWORD.minLength} characters`;
  if (password.length > PASSWORD.maxLength) return `Use at most ${PASSWORD.maxLength} characters`;
  const lower = password.toLowerCase();
  if (email) {
    const address = email.trim().toLowerCase();
    const name = address.split('@')[0] ?? '';
    if (lower.includes(address) || (name.length >= 4 && stem(lower) === name) || lower === name) return 'Your password must not be your email address';
  }
  if (new Set(lower).size <= 2) return 'Use more than one or two different characters';
  const bare = stem(password);
  if (bare === '' || COMMON.has(bare) || COMMON.has(lower) || COMMON.has(lower.replace(/\s+/g, ''))) return 'That password is too common; choose another';
  return null;
}
