import 'server-only';

import sharp from 'sharp';
import { THUMBNAIL } from '~/lib/config';
import { appErrorResponse, logServerError } from '~/lib/errors';
import { predictionIdSchema } from '~/lib/validations/prediction';

export interface Thumbnail {
  webp: Buffer;
  width: number;
  height: number;
}

/**
 * Re-encodes an upload as a small WebP: EXIF orientation applied, longest side
 * at most THUMBNAIL.maxSide, and no metadata at all (sharp drops EXIF, XMP,
 * ICC and GPS unless told to keep them). Call only on bytes the classifier
 * has already accepted (format and pixel limits checked).
 */
export async function makeThumbnail(bytes: Uint8Array, maxPixels: number): Promise<Thumbnail> {
  const { data, info } = await sharp(bytes, { autoOrient: true, pages: 1, limitInputPixels: maxPixels, failOn: 'error' })
    .resize(THUMBNAIL.maxSide, THUMBNAIL.maxSide, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .webp({ quality: THUMBNAIL.quality, effort: 2 })
    .toBuffer({ resolveWithObject: true });
  return { webp: data, width: info.width, height: info.height };
}

/**
 * A stored thumbnail as an HTTP response. `no-store`, not a day's `max-age`:
 * a person's photo must not outlive its deletion, the account's deletion or
 * a sign-out on a shared computer in the browser's disk cache. A thumbnail is
 * a few kilobytes, so fetching it again costs little.
 */
export function thumbnailResponse(webp: Uint8Array): Response {
  return new Response(Buffer.from(webp), {
    headers: { 'Content-Type': 'image/webp', 'Content-Length': String(webp.byteLength), 'Cache-Control': 'private, no-store' },
  });
}

/**
 * The rest of a thumbnail route once its caller is authorized: an invalid id
 * or a row `read` does not find is a 404, a failed read a logged 503 in the
 * app's JSON error shape (not a bare 500).
 */
export async function answerThumbnailRequest(rawId: string, read: (id: string) => Promise<Uint8Array | null>): Promise<Response> {
  const id = predictionIdSchema.safeParse(rawId);
  if (!id.success) return appErrorResponse('not_found');
  let webp: Uint8Array | null;
  try {
    webp = await read(id.data);
  } catch (error) {
    logServerError('reading a thumbnail', error);
    return appErrorResponse('unavailable');
  }
  return webp ? thumbnailResponse(webp) : appErrorResponse('not_found');
}
