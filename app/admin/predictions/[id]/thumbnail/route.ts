import { appErrorResponse } from '~/lib/errors';
import { checkAdmin } from '~/lib/server/auth';
import { getPredictionThumbnailForAdmin } from '~/lib/server/queries/admin';
import { thumbnailResponse } from '~/lib/server/thumbnail';
import { predictionIdSchema } from '~/lib/validations/prediction';

export const runtime = 'nodejs';

/** Any prediction's thumbnail, for admins only (the review queue). Users have their own, owner-scoped route. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const admin = await checkAdmin();
  if (admin.status !== 'ok') return appErrorResponse(admin.status);
  const id = predictionIdSchema.safeParse((await params).id);
  if (!id.success) return appErrorResponse('not_found');
  const thumbnail = await getPredictionThumbnailForAdmin({ id: id.data });
  return thumbnail ? thumbnailResponse(thumbnail) : appErrorResponse('not_found');
}
