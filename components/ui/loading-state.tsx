import type { ReactNode } from 'react';

/**
 * A route's loading.tsx: announced as "Loading…", with a skeleton of the
 * page's shape that assistive technology skips.
 */
export function LoadingState({ children }: { children: ReactNode }) {
  return (
    <div role="status" className="space-y-4">
      <p className="text-sm text-slate-600 dark:text-slate-300">Loading…</p>
      <div aria-hidden="true" className="animate-pulse space-y-6 motion-reduce:animate-none">
        {children}
      </div>
    </div>
  );
}

export function Skeleton({ className = '' }: { className?: string }) {
  return <div className={`rounded-xl bg-slate-200 dark:bg-slate-800 ${className}`} />;
}
