import Link from 'next/link';
import type { ReactNode } from 'react';
import { buttonClasses } from '~/components/ui/button';

/**
 * "← Newer · Page N of M · Older →" under a newest-first list (history, review queue); nothing for a single page.
 * A side with no href (the first or the last page) is a disabled link: announced as unavailable, dimmed, and without an
 * href, so it cannot be followed or focused.
 */
export function Pager({ newerHref, olderHref, page, pageCount }: { newerHref: string | null; olderHref: string | null; page: number; pageCount: number }) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-3">
      <PagerLink href={newerHref} rel="prev">
        ← Newer
      </PagerLink>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Page {page} of {pageCount}
      </p>
      <PagerLink href={olderHref} rel="next">
        Older →
      </PagerLink>
    </nav>
  );
}

function PagerLink({ href, rel, children }: { href: string | null; rel: 'prev' | 'next'; children: ReactNode }) {
  if (href === null) {
    return (
      <a role="link" aria-disabled="true" className={buttonClasses({ variant: 'secondary', className: 'pointer-events-none' })}>
        {children}
      </a>
    );
  }
  return (
    <Link href={href} className={buttonClasses({ variant: 'secondary' })} rel={rel}>
      {children}
    </Link>
  );
}
