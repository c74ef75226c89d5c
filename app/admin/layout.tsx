import type { ReactNode } from 'react';
import { NavLink } from '~/components/nav-link';
import { requestedPath, requireAdmin } from '~/lib/server/auth';

/** Admin area: the role is checked here and again in every page, action and route. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdmin(await requestedPath('/admin'));
  return (
    <div className="space-y-6">
      <nav aria-label="Admin" className="flex flex-wrap gap-1 border-b border-slate-200 pb-3 text-sm dark:border-slate-800">
        <span className="mr-2 self-center rounded-md bg-slate-900 px-2 py-0.5 text-xs font-semibold uppercase tracking-wide text-white dark:bg-slate-100 dark:text-slate-900">Admin</span>
        <NavLink href="/admin" exact>
          Dashboard
        </NavLink>
        <NavLink href="/admin/review">Review queue</NavLink>
        <NavLink href="/admin/data">Data</NavLink>
      </nav>
      {children}
    </div>
  );
}
