'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { buttonClasses } from '~/components/ui/button';

const current = 'bg-slate-200/70 font-semibold text-slate-900 dark:bg-slate-800 dark:text-white';

/**
 * A navigation link that says when it leads to the page being shown. Layouts
 * are not re-rendered on navigation and never see the path, so this reads it
 * on the client. Below its own page (a prediction under History, say) the
 * link is marked as the current section (`true`) rather than the page.
 */
export function NavLink({ href, exact = false, children }: { href: string; exact?: boolean; children: ReactNode }) {
  const pathname = usePathname();
  const state = pathname === href ? 'page' : !exact && pathname?.startsWith(`${href}/`) ? 'true' : undefined;
  return (
    <Link href={href} aria-current={state} className={buttonClasses({ variant: 'ghost', size: 'sm', className: state ? current : '' })}>
      {children}
    </Link>
  );
}
