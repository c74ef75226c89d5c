import { appErrorResponse } from '~/lib/errors';
import { checkAdmin, checkForRoute } from '~/lib/server/auth';
import { getPredictionThumbnailForAdmin } from '~/lib/server/queries/admin';
import { answerThumbnailRequest } from '~/lib/server/thumbnail';

export const runtime = 'nodejs';

/** Any prediction's thumbnail, for admins only (the review queue). Users have their own, owner-scoped route. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const admin = await checkForRoute(checkAdmin);
  if (admin.status !== 'ok') return appErrorResponse(admin.status);
  return answerThumbnailRequest((await params).id, (id) => getPredictionThumbnailForAdmin({ id }));
}
