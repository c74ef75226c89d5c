'use client';

import { useEffect, useRef, type ReactNode } from 'react';

/** Whether the keyboard focus is nowhere: the element that had it has gone (or nothing had it). */
export function focusIsLost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body;
}

/**
 * Gives the keyboard focus to its content when it appears and the focus has been lost: the element that held it went
 * with the page it was on (a Delete button whose page is gone after the delete). A screen reader then reads the
 * content, and Tab goes on from there rather than from the top. Never takes the focus from an element that has it.
 */
export function ReceiveLostFocus({ children }: { children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusIsLost()) box.current?.focus();
  }, []);
  return (
    <div ref={box} tabIndex={-1} className="rounded-lg focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500">
      {children}
    </div>
  );
}
