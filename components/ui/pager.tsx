'use client';

import Link from 'next/link';
import type { MouseEvent, ReactNode } from 'react';
import { buttonClasses } from '~/components/ui/button';

/**
 * "← Newer · Page N of M · Older →" under a newest-first list (history, review queue); nothing for a single page.
 * A side with no href (the first or the last page) is a disabled link: announced as unavailable, dimmed, out of the
 * tab order, and it does nothing when activated.
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

const doNothing = (event: MouseEvent) => event.preventDefault();

/**
 * A Link in both states, so that the element stays the same one when it becomes disabled: "Older →" pressed on the
 * next-to-last page keeps the keyboard focus on the last page, where a different element in its place would drop it
 * to the page's start. Disabled, it points at its own page ("#", not prefetched: that would render the page again) and
 * refuses the click; `tabIndex={-1}` keeps it focusable only while it has the focus already.
 */
function PagerLink({ href, rel, children }: { href: string | null; rel: 'prev' | 'next'; children: ReactNode }) {
  if (href === null) {
    return (
      <Link href="#" prefetch={false} aria-disabled="true" tabIndex={-1} onClick={doNothing} className={buttonClasses({ variant: 'secondary', className: 'pointer-events-none' })}>
        {children}
      </Link>
    );
  }
  return (
    <Link href={href} className={buttonClasses({ variant: 'secondary' })} rel={rel}>
      {children}
    </Link>
  );
}
