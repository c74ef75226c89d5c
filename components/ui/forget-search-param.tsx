'use client';

import { useEffect } from 'react';

/**
 * Takes a one-time query parameter (the news of an action, such as `?deleted=1`) out of the address bar once its page
 * has shown it, so that a reload, a bookmark or a copied link does not announce the action again. Renders nothing.
 */
export function ForgetSearchParam({ name }: { name: string }) {
  useEffect(() => {
    // After this commit's effects: on a page's first load the App Router patches history.replaceState in an effect of
    // its own, which runs after this child's, and only the patched one tells the router its URL has changed.
    const timer = setTimeout(() => {
      const url = new URL(window.location.href);
      if (!url.searchParams.has(name)) return;
      url.searchParams.delete(name);
      window.history.replaceState(null, '', url);
    }, 0);
    return () => clearTimeout(timer);
  }, [name]);
  return null;
}
