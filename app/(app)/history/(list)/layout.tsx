import type { ReactNode } from 'react';
import { requestedPath, requireUser } from '~/lib/server/auth';

/**
 * Sign-in is checked here, above loading.tsx: inside its Suspense boundary a
 * redirect would reach the browser as a 200 page with a client-side redirect
 * instead of a 307 to /login. (The page is in a route group so that this does
 * not also wrap /history/[id], whose sign-in comes back to the prediction.)
 */
export default async function HistoryListLayout({ children }: { children: ReactNode }) {
  // The query too (filters, page), which a layout is not given: proxy.ts records it.
  await requireUser(await requestedPath('/history'));
  return children;
}
