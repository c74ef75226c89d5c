import { APP_ERRORS } from '~/lib/errors';
import { getCurrentUser } from '~/lib/server/auth';
import { getPredictionThumbnailForUser } from '~/lib/server/queries/predictions';
import { predictionIdSchema } from '~/lib/validations/prediction';

export const runtime = 'nodejs';

function error(code: 'unauthorized' | 'not_found') {
  return Response.json({ error: { code, message: APP_ERRORS[code].message } }, { status: APP_ERRORS[code].status });
}

/** The thumbnail of one of the signed-in user's predictions; anyone else's id is a 404. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return error('unauthorized');
  const id = predictionIdSchema.safeParse((await params).id);
  if (!id.success) return error('not_found');
  const thumbnail = await getPredictionThumbnailForUser({ id: id.data, userId: user.id });
  if (!thumbnail) return error('not_found');
  return new Response(Buffer.from(thumbnail), {
    headers: {
      'Content-Type': 'image/webp',
      'Content-Length': String(thumbnail.byteLength),
      // A prediction's thumbnail never changes; private: never in shared caches.
      'Cache-Control': 'private, max-age=86400',
    },
  });
}
