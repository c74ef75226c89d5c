import 'server-only';

import sharp from 'sharp';
import { THUMBNAIL } from '~/lib/config';

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
