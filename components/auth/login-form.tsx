'use client';

import { signIn } from 'next-auth/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '~/components/ui/alert';
import { buttonClasses } from '~/components/ui/button';
import { SIGN_IN_RATE_LIMITED } from '~/lib/config';
import { inputClasses } from './input-classes';

export function LoginForm({ callbackUrl, justSignedUp }: { callbackUrl: string; justSignedUp: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signIn('credentials', { email: data.get('email'), password: data.get('password'), redirect: false });
      if (!result || result.error) {
        setError(
          result?.error === SIGN_IN_RATE_LIMITED
            ? 'Too many sign-in attempts. Please wait a minute and try again.'
            : 'That email and password do not match an account.',
        );
        setPending(false);
        return;
      }
      router.push(callbackUrl);
      router.refresh();
    } catch {
      setError('Could not reach the server. Please try again.');
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {justSignedUp ? <Alert tone="success">Your account is ready. Sign in to continue.</Alert> : null}
      <div className="space-y-1">
        <label htmlFor="email" className="text-sm font-medium">
          Email
        </label>
        <input id="email" name="email" type="email" autoComplete="email" required className={inputClasses} />
      </div>
      <div className="space-y-1">
        <label htmlFor="password" className="text-sm font-medium">
          Password
        </label>
        <input id="password" name="password" type="password" autoComplete="current-password" required className={inputClasses} />
      </div>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <button type="submit" disabled={pending} className={buttonClasses({ className: 'w-full' })}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="text-center text-sm text-slate-600 dark:text-slate-300">
        New here?{' '}
        <Link href="/signup" className="font-medium text-brand-700 underline underline-offset-4 dark:text-brand-300">
          Create an account
        </Link>
      </p>
    </form>
  );
}
