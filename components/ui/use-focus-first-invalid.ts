'use client';

import { useEffect, useRef } from 'react';

/**
 * After a refusal with field errors, focus moves to the first field the
 * server marked invalid (aria-invalid), so keyboard and screen-reader users
 * land on what to fix and hear its message (linked by aria-describedby).
 * `refusal`: the refused state, a new object for every refusal; null otherwise.
 */
export function useFocusFirstInvalid(refusal: object | null) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const field = refusal ? form.current?.querySelector<HTMLElement>('[aria-invalid="true"]') : null;
    if (!field) return;
    // Submitted with Enter, the field already has focus, and focusing it again would not
    // make a screen reader read its message: leave it and come back.
    if (field === document.activeElement) field.blur();
    field.focus();
  }, [refusal]);
  return form;
}
