import 'server-only';

import { notFound } from 'next/navigation';
import { cache } from 'react';
import { requestedPath, requireUser } from '~/lib/server/auth';
import { getPredictionForUser } from '~/lib/server/queries/predictions';
import { predictionIdSchema } from '~/lib/validations/prediction';

/**
 * The signed-in user's prediction, or a redirect to sign-in (coming back
 * here, with the list page it was opened from: proxy.ts records the query) or a 404. Cached per request: the layout calls it to settle those
 * answers above loading.tsx, the page to render it.
 */
export const loadPrediction = cache(async (id: string) => {
  const user = await requireUser(await requestedPath(`/history/${encodeURIComponent(id)}`));
  const parsed = predictionIdSchema.safeParse(id);
  if (!parsed.success) notFound();
  // Scoped to the owner: another user's id finds nothing and is a 404.
  const prediction = await getPredictionForUser({ id: parsed.data, userId: user.id });
  if (!prediction) notFound();
  return prediction;
});
