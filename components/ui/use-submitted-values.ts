'use client';

import { useState, type FormEvent } from 'react';

/**
 * React resets a form once its action has finished, which also wipes what
 * was typed when the action failed. The values read at submit are returned
 * for the fields' defaultValue: React updates those before it resets, so the
 * reset restores them. The server action, and the form's working before
 * hydration, stay as they are. A field left out of `names` is still cleared.
 */
export function useSubmittedValues<Name extends string>(names: readonly Name[]) {
  const [values, setValues] = useState<Partial<Record<Name, string>>>({});
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const data = new FormData(event.currentTarget);
    const submitted: Partial<Record<Name, string>> = {};
    for (const name of names) submitted[name] = String(data.get(name) ?? '');
    setValues(submitted);
  }
  return [values, onSubmit] as const;
}
