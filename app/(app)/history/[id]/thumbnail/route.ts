import { appErrorResponse } from '~/lib/errors';
import { checkForRoute, checkUser } from '~/lib/server/auth';
import { getPredictionThumbnailForUser } from '~/lib/server/queries/predictions';
import { answerThumbnailRequest } from '~/lib/server/thumbnail';

export const runtime = 'nodejs';

/** The thumbnail of one of the signed-in user's predictions; anyone else's id is a 404. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const check = await checkForRoute(checkUser);
  if (check.status !== 'ok') return appErrorResponse(check.status);
  return answerThumbnailRequest((await params).id, (id) => getPredictionThumbnailForUser({ id, userId: check.user.id }));
}
