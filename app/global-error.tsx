'use client';

/**
 * Errors thrown by the root layout itself (it reads the session on every
 * page) are outside app/error.tsx, which the layout wraps: without this file
 * Next shows its own unstyled "Application error". This boundary replaces
 * the whole document, so it brings <html>, <body> and the stylesheet.
 */
import type { ErrorInfo } from 'next/error';
import { ErrorView } from '~/components/error-view';
import './globals.css';

export default function GlobalError(props: ErrorInfo) {
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8">
          <ErrorView {...props} />
        </main>
      </body>
    </html>
  );
}
