/**
 * Training decodes photos with PIL (training/decode.py), serving with sharp (lib/ml/image.ts). The model learns from
 * the first and is measured and served through the second, so the two must hand the network the same pixels for the
 * odd encodings uploads arrive in: EXIF orientation, transparency, grayscale, 16-bit, CMYK, WebP, GIF and animations
 * (not AVIF, which Debian 12's PIL cannot open, nor multi-page TIFF).
 *
 * Runs Debian's python3 with python3-pil and python3-numpy (scripts/test.sh installs them); PYTHON overrides it, as
 * for training.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { DEFAULT_MAX_PIXELS } from '~/lib/ml/classifier';
import { DEFAULT_MODEL_CARD } from '~/lib/ml/defaults';
import { decodeImage } from '~/lib/ml/image';
import { modelCardSchema } from '~/lib/ml/model-card';
import { animatedGif, encodings, meanAbsDiff, readSamples, SAMPLE_PHOTOS } from '../fixtures/images';
import { runTrainingScript } from '../support/python';

/**
 * Mean absolute difference allowed, in grey levels of 255, by how alike the two libraries can be:
 * - the same decoder and a downscale: resampling rounding only (measured 0.1–0.7);
 * - WebP: PIL and libvips upsample its half-resolution colour differently (0.4–2.7);
 * - a photo smaller than the model's side (the animated GIF's 200 px frame too): libvips enlarges with a bicubic
 *   interpolator, a fraction of a pixel off PIL's Lanczos (4.0–8.0 on these three; known, see docs/model-history.md);
 * - CMYK with an embedded profile: both go through it, by different colour engines and sRGB profiles (1.8–3.9);
 * - CMYK without one: sharp falls back on libvips' own CMYK profile, which PIL does not have (8.6–14); a bound that
 *   still catches inverted or dropped channels (100 and more).
 */
const SAME_DECODER = 1.5;
const LIMITS: Record<string, number> = { WebP: 4, 'upscaled small photo': 10, 'animated GIF': 10, 'CMYK JPEG with a profile': 5, 'CMYK JPEG': 20 };

/** Every encoding of one photo this test holds the two decoders to. */
async function variantsOf(photo: Buffer): Promise<Record<string, Buffer>> {
  return {
    'as stored': photo,
    ...(await encodings(photo)),
    // PIL opens these as mode 'I' and its convert("RGB") clips every value above 255 to white.
    '16-bit grayscale PNG': await sharp(photo).toColourspace('grey16').png().toBuffer(),
    'CMYK JPEG with a profile': await sharp(photo).toColourspace('cmyk').withIccProfile('cmyk').jpeg().toBuffer(),
    'half-transparent PNG': await sharp(photo).ensureAlpha(0.5).png().toBuffer(),
    'animated GIF': await animatedGif(photo),
    'upscaled small photo': await sharp(photo).resize(220).jpeg({ quality: 90 }).toBuffer(),
  };
}

let scratch: string;
let side: number;
const cases: { photo: string; variant: string; bytes: Buffer }[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'petlens-python-decode-'));
  side = modelCardSchema.parse(JSON.parse(await readFile(DEFAULT_MODEL_CARD, 'utf8'))).preprocessing.resize.shorterSide;
  const samples = await readSamples();
  for (const photo of Object.keys(SAMPLE_PHOTOS) as (keyof typeof SAMPLE_PHOTOS)[]) {
    for (const [variant, bytes] of Object.entries(await variantsOf(samples[photo]))) cases.push({ photo, variant, bytes });
  }
  const files = await Promise.all(
    cases.map(async ({ bytes }, index) => {
      const file = path.join(scratch, `${index}.in`);
      await writeFile(file, bytes);
      return file;
    }),
  );
  // One interpreter for every file: starting Python and PIL costs more than decoding a photo.
  await runTrainingScript('training/decode.py', ['--side', String(side), '--out', scratch, ...files]);
}, 60_000);

afterAll(() => rm(scratch, { recursive: true, force: true }));

it('decodes each encoding of each sample photo to the pixels sharp serves, within what the two libraries allow', async () => {
  const over: string[] = [];
  for (const [index, { photo, variant, bytes }] of cases.entries()) {
    const served = await decodeImage(bytes, { size: side, maxPixels: DEFAULT_MAX_PIXELS });
    const trained = await readFile(path.join(scratch, `${index}.rgb`));
    expect(trained.byteLength).toBe(served.pixels.byteLength);
    const difference = meanAbsDiff(trained, served.pixels);
    const limit = LIMITS[variant] ?? SAME_DECODER;
    if (!(difference < limit)) over.push(`${photo}, ${variant}: ${difference.toFixed(2)} (limit ${limit})`);
  }
  // Every case is checked before failing, so a failure lists all that drifted.
  expect(over).toEqual([]);
}, 60_000);
