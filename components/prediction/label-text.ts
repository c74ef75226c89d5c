import { LABEL_TEXT, type Label } from '~/lib/config';

export function labelText(label: Label): string {
  return LABEL_TEXT[label];
}

export function formatPercent(value: number): string {
  return `${(value * 100).toFixed(value >= 0.995 || value < 0.001 ? 0 : 1)}%`;
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** Per-class accent, always paired with text so colour is never the only cue. */
export const LABEL_COLOURS: Record<Label, { bar: string; chip: string }> = {
  cat: { bar: 'bg-brand-500', chip: 'bg-brand-100 text-brand-700 dark:bg-brand-700/40 dark:text-brand-100' },
  dog: { bar: 'bg-amber-500', chip: 'bg-amber-100 text-amber-900 dark:bg-amber-800/40 dark:text-amber-100' },
  neither: { bar: 'bg-slate-500', chip: 'bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100' },
};
