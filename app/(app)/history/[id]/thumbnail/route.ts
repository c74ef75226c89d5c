import { appErrorResponse } from '~/lib/errors';
import { getCurrentUser } from '~/lib/server/auth';
import { getPredictionThumbnailForUser } from '~/lib/server/queries/predictions';
import { thumbnailResponse } from '~/lib/server/thumbnail';
import { predictionIdSchema } from '~/lib/validations/prediction';

export const runtime = 'nodejs';

/** The thumbnail of one of the signed-in user's predictions; anyone else's id is a 404. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return appErrorResponse('unauthorized');
  const id = predictionIdSchema.safeParse((await params).id);
  if (!id.success) return appErrorResponse('not_found');
  const thumbnail = await getPredictionThumbnailForUser({ id: id.data, userId: user.id });
  return thumbnail ? thumbnailResponse(thumbnail) : appErrorResponse('not_found');
}
