'use client';

import { useFocusFirstInvalid } from './use-focus-first-invalid';

/**
 * A form's refusal, split the way forms show it: a message about one field
 * (the action's `field`) goes under that field, which gets focus
 * (useFocusFirstInvalid); any other refusal is the form's own message, for an
 * alert. `refusal`: the refused state, null while idle or after a success.
 */
export function useFieldRefusal<Field extends string>(refusal: { message: string; field?: Field } | null) {
  const formRef = useFocusFirstInvalid(refusal?.field ? refusal : null);
  const fieldErrors: Partial<Record<Field, string>> = {};
  if (refusal?.field) fieldErrors[refusal.field] = refusal.message;
  return { formRef, fieldErrors, formMessage: refusal && !refusal.field ? refusal.message : null };
}
