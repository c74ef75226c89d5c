'use client';

import { signOut } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { buttonClasses } from '~/components/ui/button';
import { PendingButton } from '~/components/ui/pending-button';

export function SignOutButton() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);
  return (
    <>
      <PendingButton
        type="button"
        pending={pending}
        className={buttonClasses({ variant: 'ghost', size: 'sm' })}
        onClick={async () => {
          setPending(true);
          setFailed(false);
          try {
            await signOut({ redirect: false });
            router.push('/');
            router.refresh();
          } catch {
            setFailed(true);
          } finally {
            setPending(false);
          }
        }}
      >
        {pending ? 'Signing out…' : 'Sign out'}
      </PendingButton>
      {failed ? (
        <span role="alert" className="text-xs text-red-700 dark:text-red-300">
          Could not sign out. Please try again.
        </span>
      ) : null}
    </>
  );
}
