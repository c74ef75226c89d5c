'use client';

import Link from 'next/link';
import { useEffect, useRef, type MouseEvent, type ReactNode } from 'react';
import { buttonClasses } from '~/components/ui/button';
import { focusIsLost } from '~/components/ui/receive-lost-focus';

/**
 * The filter form "Clear" was last pressed in (its accessible name), and when. Clear is a client-side navigation
 * that creates the form anew and takes the link itself away, which would leave the keyboard focus nowhere; the new
 * form's first control takes it instead. Module state: the press and the form it lands on are in one page's script.
 */
let clearPressed: { form: string; at: number } | null = null;

/** Long enough for a slow server's answer; short enough that a later visit to the page is not taken for it. */
const CLEAR_FOCUS_WINDOW_MS = 15_000;

function isPlainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

/**
 * A link to the list without its filters (`href`): the filter form's "Clear", or another such link on the page (an
 * empty list's "Clear filters"). `form`: the filter form's accessible name.
 */
export function ClearFiltersLink({ href, form, className = buttonClasses({ variant: 'ghost' }), children = 'Clear' }: { href: string; form: string; className?: string; children?: ReactNode }) {
  return (
    <Link
      href={href}
      className={className}
      onClick={(event) => {
        // A click that opens another tab or window leaves this page, and its focus, as they are.
        if (isPlainClick(event)) clearPressed = { form, at: Date.now() };
      }}
    >
      {children}
    </Link>
  );
}

/**
 * In a filter form: gives its first control the focus when the form appears after one of its Clear links was pressed
 * and the focus went with that link.
 */
export function FocusAfterClear({ form }: { form: string }) {
  const marker = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const pressed = clearPressed;
    if (pressed === null || pressed.form !== form) return;
    clearPressed = null;
    if (Date.now() - pressed.at > CLEAR_FOCUS_WINDOW_MS) return;
    // Only a focus that was lost with the link: one the user has moved on meanwhile stays where they put it.
    if (!focusIsLost()) return;
    marker.current?.closest('form')?.querySelector<HTMLElement>('input:not([type=hidden]), select')?.focus();
  }, [form]);
  return <span ref={marker} hidden />;
}
