import Link from 'next/link';
import type { ReactNode } from 'react';
import { buttonClasses } from '~/components/ui/button';

/** Where one side of the pager leads; a disabled side is dimmed and out of the tab order. */
export interface PagerSide {
  href: string;
  disabled: boolean;
}

/** "← Newer · Page N of M · Older →" under a newest-first list (history, review queue); nothing for a single page. */
export function Pager({ newer, older, page, pageCount }: { newer: PagerSide; older: PagerSide; page: number; pageCount: number }) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-3">
      <PagerLink side={newer} rel="prev">
        ← Newer
      </PagerLink>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Page {page} of {pageCount}
      </p>
      <PagerLink side={older} rel="next">
        Older →
      </PagerLink>
    </nav>
  );
}

function PagerLink({ side, rel, children }: { side: PagerSide; rel: 'prev' | 'next'; children: ReactNode }) {
  return (
    <Link
      href={side.href}
      aria-disabled={side.disabled}
      tabIndex={side.disabled ? -1 : undefined}
      className={buttonClasses({ variant: 'secondary', className: side.disabled ? 'pointer-events-none opacity-50' : '' })}
      rel={rel}
    >
      {children}
    </Link>
  );
}
