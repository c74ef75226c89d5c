/**
 * @file Image decoding and preprocessing with sharp: file bytes -> the
 * model's uint8 NHWC RGB input. Every caller (web app, API, CLIs, tests,
 * benchmarks) goes through `decodeImage`, so an image is classified the same
 * way wherever it comes from.
 *
 * Normalisation (1/255, ImageNet mean/std) and the NHWC -> NCHW transpose are
 * inside the ONNX graph: this module only hands over sharp's raw bytes, with no
 * per-pixel JavaScript on the hot path.
 */
import sharp, { type Metadata } from 'sharp';

// Loaders that must never see untrusted bytes: SVG can reference external
// resources and scripts, PDF and ImageMagick pull in large attack surfaces.
// Blocked process-wide, once, when this module is first imported.
sharp.block({
  operation: ['VipsForeignLoadSvg', 'VipsForeignLoadPdf', 'VipsForeignLoadMagick', 'VipsForeignLoadOpenslide', 'VipsForeignLoadMatrix', 'VipsForeignLoadFits', 'VipsForeignLoadVips'],
});

/** Formats PetLens classifies; what sharp's metadata calls them. */
export const SUPPORTED_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff'] as const;
export type SupportedFormat = (typeof SUPPORTED_FORMATS)[number];

export type ImageErrorCode = 'empty' | 'unsupported_format' | 'corrupt' | 'too_many_pixels' | 'too_small';

/** An input the classifier cannot use; `message` is safe to show a user. */
export class ImageInputError extends Error {
  override name = 'ImageInputError';
  constructor(
    readonly code: ImageErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The shortest side PetLens classifies. Below it the answers are guesses:
 * the test split shrunk to a shorter side of 32 px is classified 57 % right
 * (pets answered "neither" 46 %), at 24 px 20 %, while at 48 px it is 92 %,
 * at 64 px 95 % (model 1.5.0; README, "Small images";
 * `npm run model:robustness -- --tables small`). A 1×1 pixel or a 1×20000
 * sliver is not a photo of anything.
 */
export const MIN_IMAGE_SIDE = 48;

export interface DecodeOptions {
  /** Side of the square model input, from the model card. */
  size: number;
  /** Refuse images with more pixels than this (decompression bombs). */
  maxPixels: number;
  /**
   * Refuse images whose shorter side is under this; MIN_IMAGE_SIDE unless
   * given. Only measurements of how the model fails on tiny images lower it
   * (npm run model:robustness); serving always uses the default.
   */
  minSide?: number;
}

export interface DecodedImage {
  /** size * size * 3 bytes, RGB, row-major (NHWC without the batch axis). */
  pixels: Buffer;
  format: SupportedFormat;
  /** Dimensions after EXIF orientation, as a person sees the photo. */
  width: number;
  height: number;
}

/** What the refusal of another format lists: every format read, so that a user with a GIF or a TIFF knows it would do. */
const FORMAT_NAMES: Record<SupportedFormat, string> = { jpeg: 'JPEG', png: 'PNG', webp: 'WebP', gif: 'GIF', avif: 'AVIF', tiff: 'TIFF' };
const FORMAT_HINT = `send a ${Object.values(FORMAT_NAMES).slice(0, -1).join(', ')} or ${Object.values(FORMAT_NAMES).at(-1)} image`;

function unsupported(format: string | undefined): ImageInputError {
  if (format === 'heif') {
    return new ImageInputError('unsupported_format', `HEIC/HEIF photos are not supported: ${FORMAT_HINT} (iPhone: Settings → Camera → Formats → Most Compatible)`);
  }
  const what = format ? `${format.toUpperCase()} files are not supported` : 'This file is not an image PetLens can read';
  return new ImageInputError('unsupported_format', `${what}: ${FORMAT_HINT}`);
}

/** ISO-BMFF brands of HEIC/HEIF photos (iPhones); AVIF uses 'avif'/'avis'. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

function isHeic(bytes: Uint8Array): boolean {
  const ascii = (start: number) => Buffer.from(bytes.subarray(start, start + 4)).toString('latin1');
  return bytes.byteLength >= 12 && ascii(4) === 'ftyp' && HEIC_BRANDS.has(ascii(8));
}

/** Maps libvips' messages onto what a user can act on. */
function classifySharpError(error: unknown, bytes: Uint8Array): ImageInputError {
  if (isHeic(bytes)) return unsupported('heif');
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return new ImageInputError('too_many_pixels', 'The image has too many pixels');
  }
  if (/unsupported image format|is blocked|not permitted/i.test(message)) {
    return unsupported(undefined);
  }
  return new ImageInputError('corrupt', 'The image is damaged or incomplete and cannot be read');
}

function isSupported(format: string | undefined): format is SupportedFormat {
  return (SUPPORTED_FORMATS as readonly string[]).includes(format ?? '');
}

/**
 * Reads the header, checks the real format (never the file name or MIME type),
 * the pixel count and the shorter side before anything is decoded.
 */
export async function inspectImage(bytes: Uint8Array, maxPixels: number, minSide = MIN_IMAGE_SIDE) {
  return (await readHeader(bytes, maxPixels, minSide)).shown;
}

async function readHeader(bytes: Uint8Array, maxPixels: number, minSide = MIN_IMAGE_SIDE) {
  if (bytes.byteLength === 0) {
    throw new ImageInputError('empty', 'The file is empty');
  }
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false, pages: 1 }).metadata();
  } catch (error) {
    throw classifySharpError(error, bytes);
  }
  // sharp reports AVIF as HEIF with AV1 compression; real HEIC (HEVC) cannot be decoded.
  const format: string | undefined = metadata.format === 'heif' && metadata.compression === 'av1' ? 'avif' : metadata.format;
  // Of a many-page image (animated GIF or WebP, multi-page TIFF), the first page is read.
  if (!isSupported(format)) {
    throw unsupported(format);
  }
  const { width = 0, height = 0 } = metadata;
  if (width < 1 || height < 1) {
    throw new ImageInputError('corrupt', 'The image has no pixels');
  }
  if (width * height > maxPixels) {
    throw new ImageInputError(
      'too_many_pixels',
      `The image is ${width}×${height} (${(width * height / 1e6).toFixed(1)} MP); the limit is ${(maxPixels / 1e6).toFixed(0)} MP`,
    );
  }
  const shown = metadata.autoOrient;
  if (Math.min(shown.width, shown.height) < minSide) {
    throw new ImageInputError(
      'too_small',
      `The image is ${shown.width}×${shown.height} pixels; PetLens needs at least ${minSide} pixels on the shorter side to tell what it shows`,
    );
  }
  return {
    shown: { format, width: shown.width, height: shown.height },
    // Exactly sharp's condition for importing into P3 (16-bit grayscale and CMYK are left alone).
    sixteenBitRgbWithProfile: metadata.hasProfile === true && metadata.space === 'rgb16',
  };
}

/**
 * File bytes -> the model's input: EXIF orientation applied, first frame of
 * animations (first page of a multi-page TIFF), transparency flattened onto white, CMYK / grayscale / 16-bit
 * converted to 8-bit sRGB, shorter side scaled to `size` and centre-cropped
 * (the training pipeline's geometry; see training/data.py).
 */
export async function decodeImage(bytes: Uint8Array, options: DecodeOptions): Promise<DecodedImage> {
  const { shown: info, sixteenBitRgbWithProfile } = await readHeader(bytes, options.maxPixels, options.minSide);
  let pixels: Buffer;
  let channels: number;
  try {
    // failOn 'error' (not the default 'warning'): phone JPEGs with harmless
    // warnings still decode, while truncated or garbled files are refused.
    const pipeline = sharp(bytes, { autoOrient: true, pages: 1, limitInputPixels: options.maxPixels, failOn: 'error' })
      .resize(options.size, options.size, { fit: 'cover', position: 'centre', kernel: 'lanczos3' })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb');
    // sharp imports a 16-bit RGB image that carries an ICC profile into Display P3,
    // not sRGB, and toColourspace('srgb') then only narrows it to 8 bits: the
    // model would see P3 values as if they were sRGB (1-7 grey levels off the
    // 8-bit copy of the same photo). The explicit sRGB profile converts them;
    // it costs 1-4 ms, so only those images pay it.
    if (sixteenBitRgbWithProfile) pipeline.withIccProfile('srgb');
    const result = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    pixels = result.data;
    channels = result.info.channels;
  } catch (error) {
    throw classifySharpError(error, bytes);
  }
  if (channels !== 3 || pixels.byteLength !== options.size * options.size * 3) {
    // Should be impossible after flatten + srgb; fail loudly rather than feed
    // the model garbage.
    throw new ImageInputError('corrupt', `The image decoded to ${channels} channels; expected RGB`);
  }
  return { pixels, ...info };
}
