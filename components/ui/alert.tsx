import type { ReactNode } from 'react';

const tones = {
  error: 'border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-100',
  warning: 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950/60 dark:text-amber-100',
  success: 'border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-100',
  info: 'border-slate-300 bg-slate-50 text-slate-800 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200',
} as const;

/**
 * A message box. Errors and successes answer something the user just did, and
 * appear with their text already in them: a status region that arrives filled
 * is often not read, so they are alerts. Warnings and notes are statuses, and
 * so is a success a page shows from its URL after a redirect (?deleted=1):
 * as an alert, going Back to that page would announce it again.
 */
export function Alert({
  tone = 'info',
  role = tone === 'error' || tone === 'success' ? 'alert' : 'status',
  children,
  className = '',
}: {
  tone?: keyof typeof tones;
  /**
   * 'alert' for a message inserted with its text in answer to an action, whatever its tone; 'note' for one that
   * something else announces (an upload card's live line), so that it is not read out twice.
   */
  role?: 'alert' | 'status' | 'note';
  children: ReactNode;
  className?: string;
}) {
  return (
    <div role={role} className={`rounded-lg border px-3 py-2 text-sm ${tones[tone]} ${className}`}>
      {children}
    </div>
  );
}
