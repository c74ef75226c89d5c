'use client';

import type { ComponentProps } from 'react';

/**
 * A button that is unavailable while its action runs, without `disabled`: a
 * disabled button drops keyboard focus to the page (a keyboard or screen
 * reader user who pressed it is thrown back to the top), while
 * `aria-disabled` keeps focus where it was and still tells assistive
 * technology that the button cannot be used now. A click (or Enter in a
 * field, which browsers turn into a click on the form's submit button) is
 * cancelled while pending, so nothing is sent twice.
 */
// No `disabled` prop: setting it would bring back the focus loss this component exists to avoid.
export function PendingButton({ pending, onClick, type = 'submit', ...props }: Omit<ComponentProps<'button'>, 'disabled'> & { pending: boolean }) {
  return (
    <button
      {...props}
      type={type}
      aria-disabled={pending || undefined}
      onClick={(event) => {
        if (pending) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
    />
  );
}
