import Link from 'next/link';
import { NavLink } from '~/components/nav-link';
import { SignOutButton } from '~/components/sign-out-button';
import { buttonClasses } from '~/components/ui/button';
import type { CurrentUser } from '~/lib/server/auth';

/** `user.role` must be the server's (session re-checked against the database), never the client's word. */
export function SiteHeader({ user }: { user: Pick<CurrentUser, 'email' | 'role'> | null }) {
  return (
    <header className="border-b border-slate-200 bg-white/80 backdrop-blur dark:border-slate-800 dark:bg-slate-900/80">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
          <Link href="/" className="flex items-center gap-2 rounded-md text-lg font-semibold tracking-tight">
            <svg aria-hidden="true" viewBox="0 0 64 64" className="h-8 w-8">
              <rect width="64" height="64" rx="14" className="fill-brand-600" />
              <g fill="#fff">
                <ellipse cx="32" cy="41" rx="11" ry="9" />
                <circle cx="18" cy="27" r="5" />
                <circle cx="26" cy="19" r="5" />
                <circle cx="38" cy="19" r="5" />
                <circle cx="46" cy="27" r="5" />
              </g>
            </svg>
            PetLens
          </Link>
          <nav aria-label="Main" className="flex flex-wrap gap-1 text-sm">
            <NavLink href="/" exact>
              Classify
            </NavLink>
            {user ? (
              <>
                <NavLink href="/history">History</NavLink>
                <NavLink href="/account">Account</NavLink>
                {user.role === 'admin' ? <NavLink href="/admin">Admin</NavLink> : null}
              </>
            ) : null}
          </nav>
        </div>
        <div className="flex items-center gap-2 text-sm">
          {user ? (
            <>
              <span className="hidden max-w-48 truncate text-slate-600 sm:inline dark:text-slate-300" data-testid="signed-in-as">
                {user.email}
              </span>
              <SignOutButton />
            </>
          ) : (
            <>
              <Link href="/login" className={buttonClasses({ variant: 'ghost', size: 'sm' })}>
                Sign in
              </Link>
              <Link href="/signup" className={buttonClasses({ size: 'sm' })}>
                Create account
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
