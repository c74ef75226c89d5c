'use client';

import { signIn } from 'next-auth/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Alert } from '~/components/ui/alert';
import { buttonClasses } from '~/components/ui/button';
import { ForgetSearchParam } from '~/components/ui/forget-search-param';
import { PendingButton } from '~/components/ui/pending-button';
import { ScriptReady } from '~/components/ui/script-ready';
import { TextField } from '~/components/ui/text-field';
import { SERVER_UNREACHABLE } from '~/components/ui/use-reachable-action-state';
import { SIGN_IN_RATE_LIMITED, SIGN_IN_UNAVAILABLE } from '~/lib/config';
import { linkClasses, signUpHref } from './auth-links';

/** What signIn()'s error code means to the person signing in; anything else is a wrong email or password. */
function signInError(code: string | null | undefined): string {
  if (code === SIGN_IN_RATE_LIMITED) return 'Too many sign-in attempts. Please wait a minute and try again.';
  if (code === SIGN_IN_UNAVAILABLE) return 'Sign-in is unavailable right now, please try again in a moment.';
  return 'That email and password do not match an account.';
}

export function LoginForm({ callbackUrl, justSignedUp }: { callbackUrl: string; justSignedUp: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState<{ email: boolean; password: boolean }>({ email: false, password: false });
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');
    // Nothing to check on the server: say so here (the form is noValidate, for messages in the page's own words).
    if (!email || !password) {
      setMissing({ email: !email, password: !password });
      setError('Enter your email and password.');
      form.querySelector<HTMLInputElement>(!email ? '#email' : '#password')?.focus();
      return;
    }
    setMissing({ email: false, password: false });
    setPending(true);
    setError(null);
    try {
      const result = await signIn('credentials', { email, password, redirect: false });
      if (!result || result.error) {
        setError(signInError(result?.error));
        setPending(false);
        return;
      }
      router.push(callbackUrl);
      router.refresh();
    } catch {
      setError(SERVER_UNREACHABLE);
      setPending(false);
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4" noValidate>
      {justSignedUp ? (
        <Alert tone="success" role="status">
          Your account is ready. Sign in to continue.
          {/* Said once: a reload of this page must not say it again. */}
          <ForgetSearchParam name="signedUp" />
        </Alert>
      ) : null}
      <TextField id="email" label="Email" name="email" type="email" autoComplete="email" required invalid={missing.email} />
      <TextField id="password" label="Password" name="password" type="password" autoComplete="current-password" required invalid={missing.password} />
      {error ? <Alert tone="error">{error}</Alert> : null}
      <ScriptReady className="min-w-0">
        <PendingButton type="submit" pending={pending} className={buttonClasses({ className: 'w-full' })}>
          {pending ? 'Signing in…' : 'Sign in'}
        </PendingButton>
      </ScriptReady>
      <p className="text-center text-sm text-slate-600 dark:text-slate-300">
        New here?{' '}
        <Link href={signUpHref(callbackUrl)} className={linkClasses}>
          Create an account
        </Link>
      </p>
    </form>
  );
}
