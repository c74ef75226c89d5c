import { APP_ERRORS } from '~/lib/errors';
import { checkAdmin } from '~/lib/server/auth';
import { getPredictionThumbnailForAdmin } from '~/lib/server/queries/admin';
import { predictionIdSchema } from '~/lib/validations/prediction';

export const runtime = 'nodejs';

function error(code: 'unauthorized' | 'forbidden' | 'not_found') {
  return Response.json({ error: { code, message: APP_ERRORS[code].message } }, { status: APP_ERRORS[code].status });
}

/** Any prediction's thumbnail, for admins only (the review queue). Users have their own, owner-scoped route. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const admin = await checkAdmin();
  if (admin.status !== 'ok') return error(admin.status);
  const id = predictionIdSchema.safeParse((await params).id);
  if (!id.success) return error('not_found');
  const thumbnail = await getPredictionThumbnailForAdmin({ id: id.data });
  if (!thumbnail) return error('not_found');
  return new Response(Buffer.from(thumbnail), {
    headers: {
      'Content-Type': 'image/webp',
      'Content-Length': String(thumbnail.byteLength),
      'Cache-Control': 'private, max-age=86400',
    },
  });
}
