import type { InputHTMLAttributes, ReactNode } from 'react';

const inputClasses =
  'block h-10 w-full rounded-lg border border-slate-500 bg-white px-3 text-sm shadow-sm placeholder:text-slate-500 aria-[invalid=true]:border-red-600 dark:border-slate-500 dark:bg-slate-800 dark:placeholder:text-slate-400';

type TextFieldProps = {
  id: string;
  label: ReactNode;
  /** Shown under the input in red, in place of the hint; marks the input invalid. */
  error?: string;
  /** Shown under the input while there is no error (e.g. the password rules). */
  hint?: string;
  /** Marks the input invalid without a message (the form shows one elsewhere). */
  invalid?: boolean;
  /** Classes for the wrapper, e.g. to size the field in a row. */
  className?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className'>;

/**
 * A labelled input with its error or hint under it, linked for screen
 * readers (aria-describedby, aria-invalid). Every form's fields are these, so
 * they look and read the same everywhere. Works in server and client
 * components alike (no hooks).
 */
export function TextField({ id, label, error, hint, invalid, className = '', ...input }: TextFieldProps) {
  const message = error ?? hint;
  const messageId = message ? `${id}-message` : undefined;
  return (
    <div className={`space-y-1 ${className}`.trim()}>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input id={id} aria-invalid={error || invalid ? true : undefined} aria-describedby={messageId} className={inputClasses} {...input} />
      {message ? (
        <p id={messageId} className={`text-sm ${error ? 'text-red-700 dark:text-red-300' : 'text-slate-500 dark:text-slate-400'}`}>
          {message}
        </p>
      ) : null}
    </div>
  );
}
