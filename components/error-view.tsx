'use client';

import type { ErrorInfo } from 'next/error';
import { useEffect } from 'react';
import { buttonClasses } from '~/components/ui/button';

/**
 * The app's error boundary UI (re-exported by app/error.tsx). "Try again"
 * is Next's `retry`, which re-fetches the segment's server components before
 * re-rendering; `reset` alone would re-render the same failed payload.
 */
export function ErrorView({ error, retry }: ErrorInfo) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  // Server errors carry a digest that matches the server log; a client-side throw may not even be an Error.
  const digest = error instanceof Error && 'digest' in error && typeof error.digest === 'string' ? error.digest : null;
  return (
    <div role="alert" className="mx-auto max-w-md space-y-4 py-16 text-center">
      {/* A client boundary cannot export metadata; React puts this <title> in the head. */}
      <title>Something went wrong · PetLens</title>
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="text-slate-600 dark:text-slate-300">
        Sorry, this page could not be shown. {digest ? <span className="font-mono text-xs">(ref {digest})</span> : null}
      </p>
      <button type="button" onClick={() => retry()} className={buttonClasses()}>
        Try again
      </button>
    </div>
  );
}
