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
    if (refusal) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refusal]);
  return form;
}
