import type { ReactNode } from 'react';
import { buttonClasses } from '~/components/ui/button';
import { ClearFiltersLink, FocusAfterClear } from '~/components/ui/clear-filters-link';

/** The look of a filter's input or select. */
export const filterControlClasses =
  'h-10 rounded-lg border border-slate-500 bg-white px-3 text-sm shadow-sm dark:border-slate-500 dark:bg-slate-800';

/** A small label above one filter control; `id` is the control's. */
export function FilterField({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-slate-600 dark:text-slate-300">
        {label}
      </label>
      {children}
    </div>
  );
}

/**
 * A plain GET form: works without JavaScript and keeps the filters in the URL.
 * "Clear" (a link to `clearHref`) shows only while something is filtered.
 */
export function FilterForm({
  action,
  clearHref = action,
  label,
  applied,
  filtered,
  children,
  after,
}: {
  action: string;
  /** Where "Clear" goes: `action` without the filters, keeping what is not a filter (a chosen page size). */
  clearHref?: string;
  /** The accessible name of the search landmark. */
  label: string;
  /**
   * The filters in force, as a string (their query string). The form is
   * created anew when they change: "Clear" is a client-side navigation,
   * which keeps the page's state, and uncontrolled controls would go on
   * showing the old filters (and Apply would bring them back).
   */
  applied: string;
  filtered: boolean;
  /** The FilterFields. */
  children: ReactNode;
  /** Anything after Apply and Clear (e.g. an export link). */
  after?: ReactNode;
}) {
  return (
    <form key={applied} method="get" action={action} className="flex flex-wrap items-end gap-3" role="search" aria-label={label}>
      <FocusAfterClear form={label} />
      {children}
      <button type="submit" className={buttonClasses({ variant: 'secondary' })}>
        Apply
      </button>
      {filtered ? <ClearFiltersLink href={clearHref} form={label} /> : null}
      {after}
    </form>
  );
}
