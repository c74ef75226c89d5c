import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { SiteHeader } from '~/components/site-header';
import { getCurrentUser } from '~/lib/server/auth';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'PetLens: cat, dog or neither?', template: '%s · PetLens' },
  description: 'Upload a photo and PetLens tells you whether it shows a cat, a dog or neither, in milliseconds.',
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f8fafc' },
    { media: '(prefers-color-scheme: dark)', color: '#020617' },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-slate-800"
        >
          Skip to content
        </a>
        <SiteHeader user={user ? { email: user.email, role: user.role } : null} />
        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-8">
          {children}
        </main>
        <footer className="border-t border-slate-200 px-4 py-6 text-center text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400">
          PetLens classifies photos on this server; originals are never kept.
        </footer>
      </body>
    </html>
  );
}
