'use client';

import { signIn } from 'next-auth/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { signUpAction } from '~/app/(auth)/actions';
import { Alert } from '~/components/ui/alert';
import { buttonClasses } from '~/components/ui/button';
import { PASSWORD } from '~/lib/config';
import type { SignUpState } from '~/lib/prediction-state';
import { loginHref } from './auth-links';
import { inputClasses } from './input-classes';

const linkClasses = 'font-medium text-brand-700 underline underline-offset-4 dark:text-brand-300';

/** `callbackUrl`: where to go once signed in, already checked by `safeCallbackUrl`. */
export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [state, setState] = useState<SignUpState>({ status: 'idle' });
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setPending(true);
    try {
      const result = await signUpAction({ status: 'idle' }, data);
      setState(result);
      if (result.status !== 'success') {
        setPending(false);
        return;
      }
      const signedIn = await signIn('credentials', { email: data.get('email'), password: data.get('password'), redirect: false });
      // From here a navigation is under way, so the button stays disabled: a second press would only say the account exists.
      if (!signedIn || signedIn.error) {
        router.push(loginHref(callbackUrl, { signedUp: '1' }));
        return;
      }
      router.push(callbackUrl);
      router.refresh();
    } catch {
      setState({ status: 'failed', message: 'Could not reach the server. Please try again.' });
      setPending(false);
    }
  }

  const fieldErrors = state.status === 'invalid_data' ? state.fieldErrors : {};
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <div className="space-y-1">
        <label htmlFor="email" className="text-sm font-medium">
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          aria-invalid={fieldErrors.email ? true : undefined}
          aria-describedby={fieldErrors.email ? 'email-error' : undefined}
          className={inputClasses}
        />
        {fieldErrors.email ? (
          <p id="email-error" className="text-sm text-red-700 dark:text-red-300">
            {fieldErrors.email}
          </p>
        ) : null}
      </div>
      <div className="space-y-1">
        <label htmlFor="password" className="text-sm font-medium">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD.minLength}
          aria-invalid={fieldErrors.password ? true : undefined}
          aria-describedby="password-hint"
          className={inputClasses}
        />
        <p id="password-hint" className={`text-sm ${fieldErrors.password ? 'text-red-700 dark:text-red-300' : 'text-slate-500 dark:text-slate-400'}`}>
          {fieldErrors.password ?? `At least ${PASSWORD.minLength} characters; not your email address or a common password.`}
        </p>
      </div>
      {state.status === 'conflict' ? (
        <Alert tone="error">
          An account with this email already exists.{' '}
          <Link href={loginHref(callbackUrl)} className={linkClasses}>
            Sign in instead?
          </Link>
        </Alert>
      ) : state.status === 'failed' ? (
        <Alert tone="error">{state.message}</Alert>
      ) : null}
      <button type="submit" disabled={pending} className={buttonClasses({ className: 'w-full' })}>
        {pending ? 'Creating your account…' : 'Create account'}
      </button>
      <p className="text-center text-sm text-slate-600 dark:text-slate-300">
        Already have an account?{' '}
        <Link href={loginHref(callbackUrl)} className={linkClasses}>
          Sign in
        </Link>
      </p>
    </form>
  );
}
