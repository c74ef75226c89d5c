'use client';

import { signIn } from 'next-auth/react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { signUpAction } from '~/app/(auth)/actions';
import { Alert } from '~/components/ui/alert';
import { buttonClasses } from '~/components/ui/button';
import { PendingButton } from '~/components/ui/pending-button';
import { ScriptReady } from '~/components/ui/script-ready';
import { TextField } from '~/components/ui/text-field';
import { useFocusFirstInvalid } from '~/components/ui/use-focus-first-invalid';
import { unansweredCallMessage } from '~/components/ui/use-reachable-action-state';
import type { SignUpState } from '~/lib/prediction-state';
import { linkClasses, loginHref } from './auth-links';
import { NewPasswordField } from './new-password-field';

/** `callbackUrl`: where to go once signed in, already checked by `safeCallbackUrl`. */
export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [state, setState] = useState<SignUpState>({ status: 'idle' });
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setPending(true);
    let result: SignUpState;
    try {
      result = await signUpAction({ status: 'idle' }, data);
    } catch (error) {
      setState({ status: 'failed', message: unansweredCallMessage(error) });
      setPending(false);
      return;
    }
    setState(result);
    if (result.status !== 'success') {
      setPending(false);
      return;
    }
    // The account exists now: trying again would only say so. If signing in fails, even for want of a network, the sign-in page is what is left.
    const signedIn = await signIn('credentials', { email: data.get('email'), password: data.get('password'), redirect: false }).catch(() => null);
    // From here a navigation is under way, so the button stays pending: a second press would only say the account exists.
    if (!signedIn || signedIn.error) {
      router.push(loginHref(callbackUrl, { signedUp: '1' }));
      return;
    }
    router.push(callbackUrl);
    router.refresh();
  }

  const fieldErrors = state.status === 'invalid_data' ? state.fieldErrors : {};
  const formRef = useFocusFirstInvalid(state.status === 'invalid_data' ? state : null);
  return (
    <form ref={formRef} method="post" onSubmit={onSubmit} className="space-y-4" noValidate>
      <TextField id="email" label="Email" name="email" type="email" autoComplete="email" required error={fieldErrors.email} />
      <NewPasswordField id="password" label="Password" name="password" error={fieldErrors.password} />
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
      <ScriptReady className="min-w-0">
        <PendingButton type="submit" pending={pending} className={buttonClasses({ className: 'w-full' })}>
          {pending ? 'Creating your account…' : 'Create account'}
        </PendingButton>
      </ScriptReady>
      <p className="text-center text-sm text-slate-600 dark:text-slate-300">
        Already have an account?{' '}
        <Link href={loginHref(callbackUrl)} className={linkClasses}>
          Sign in
        </Link>
      </p>
    </form>
  );
}
