import type { ReactNode } from 'react';
import { loadPrediction } from './load-prediction';

/**
 * Sign-in and ownership are settled here, above loading.tsx: inside its
 * Suspense boundary a redirect or notFound() would reach the browser as a
 * 200 page (a client-side redirect, a soft 404) instead of a 307 or a 404.
 */
export default async function PredictionLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  await loadPrediction((await params).id);
  return children;
}
