/**
 * Style-only button classes, usable on <button>, <a> and <label> alike, from
 * server and client components. No data access, no hooks.
 */
const base =
  'inline-flex items-center justify-center gap-2 rounded-lg text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500 aria-disabled:cursor-not-allowed aria-disabled:opacity-60';

const variants = {
  // A transparent border on the filled buttons: in forced colours (Windows high contrast) fills are dropped and the
  // border is what is left to show a button.
  primary: 'border border-transparent bg-brand-600 text-white shadow-sm hover:bg-brand-700',
  secondary:
    'border border-slate-300 bg-white text-slate-800 shadow-sm hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700',
  ghost: 'text-slate-700 hover:bg-slate-200/70 dark:text-slate-200 dark:hover:bg-slate-800',
  danger: 'border border-transparent bg-red-700 text-white shadow-sm hover:bg-red-800',
} as const;

const sizes = {
  sm: 'h-8 px-3',
  md: 'h-10 px-4',
} as const;

export function buttonClasses({ variant = 'primary', size = 'md', className = '' }: { variant?: keyof typeof variants; size?: keyof typeof sizes; className?: string } = {}): string {
  return `${base} ${variants[variant]} ${sizes[size]} ${className}`.trim();
}
