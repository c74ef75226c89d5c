'use client';

import { useEffect } from 'react';
import { buttonClasses } from '~/components/ui/button';

/** The app's error boundary UI (re-exported by app/error.tsx). */
export function ErrorView({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="mx-auto max-w-md space-y-4 py-16 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="text-slate-600 dark:text-slate-300">
        Sorry, this page could not be shown. {error.digest ? <span className="font-mono text-xs">(ref {error.digest})</span> : null}
      </p>
      <button type="button" onClick={reset} className={buttonClasses()}>
        Try again
      </button>
    </div>
  );
}
