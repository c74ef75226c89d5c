'use client';

import { useHydrated } from './use-hydrated';

/**
 * A moment in the reader's own time zone. The server does not know that
 * zone, so the server render (and the hydration pass, which must match it)
 * shows UTC, labelled as such; right after hydration React re-renders with
 * the client snapshot and the local time replaces it.
 */
export function LocalTime({ iso, dateStyle, timeStyle, className }: { iso: string; dateStyle: 'medium' | 'long'; timeStyle: 'short' | 'long'; className?: string }) {
  const hydrated = useHydrated();
  const date = new Date(iso);
  const text = hydrated
    ? new Intl.DateTimeFormat('en', { dateStyle, timeStyle }).format(date)
    : // The long time style names the zone itself.
      `${new Intl.DateTimeFormat('en', { dateStyle, timeStyle, timeZone: 'UTC' }).format(date)}${timeStyle === 'long' ? '' : ' UTC'}`;
  return (
    // Node's ICU and the browser's may spell the same UTC time differently (another CLDR version: "at" or ","); that
    // text is replaced right after hydration anyway, so a difference is not a hydration error.
    <time dateTime={iso} className={className} suppressHydrationWarning>
      {text}
    </time>
  );
}
