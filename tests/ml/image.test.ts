import sharp from 'sharp';
import { decodeImage, ImageInputError, inspectImage, MIN_IMAGE_SIDE } from '~/lib/ml/image';
import { animatedGif, encodings, meanAbsDiff, multiPageTiff, HEIC_HEADER, pixelBomb, pngHeaderOnly, readSample, SVG_WITH_SCRIPT } from '../fixtures/images';

const options = { size: 224, maxPixels: 50_000_000 };

/** The reference pixels as gray RGB (R = G = B = Rec. 709 luma). */
function grayOf(rgb: Buffer): Buffer {
  const gray = Buffer.alloc(rgb.length);
  for (let i = 0; i < rgb.length; i += 3) {
    gray.fill(Math.round(0.2126 * rgb[i]! + 0.7152 * rgb[i + 1]! + 0.0722 * rgb[i + 2]!), i, i + 3);
  }
  return gray;
}

async function expectInputError(bytes: Uint8Array, code: ImageInputError['code'], message?: RegExp) {
  const error = await decodeImage(bytes, options).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ImageInputError);
  expect((error as ImageInputError).code).toBe(code);
  if (message) expect((error as ImageInputError).message).toMatch(message);
}

describe('decodeImage', () => {
  let photo: Buffer;
  let reference: Buffer;
  beforeAll(async () => {
    photo = await readSample('cat');
    reference = (await decodeImage(photo, options)).pixels;
  });

  it('returns size x size RGB bytes and the photo dimensions', async () => {
    const decoded = await decodeImage(photo, options);
    const meta = await sharp(photo).metadata();
    expect(decoded.pixels.byteLength).toBe(224 * 224 * 3);
    expect(decoded).toMatchObject({ format: 'jpeg', width: meta.width, height: meta.height });
  });

  it('centre-crops the shorter side (fit: cover), as training does', async () => {
    // A 300x100 image: left third red, middle green, right blue. The crop keeps the middle.
    const third = (r: number, g: number, b: number) => sharp({ create: { width: 100, height: 100, channels: 3, background: { r, g, b } } }).png().toBuffer();
    const striped = await sharp({ create: { width: 300, height: 100, channels: 3, background: '#000' } })
      .composite([{ input: await third(255, 0, 0), left: 0, top: 0 }, { input: await third(0, 255, 0), left: 100, top: 0 }, { input: await third(0, 0, 255), left: 200, top: 0 }])
      .png()
      .toBuffer();
    const { pixels } = await decodeImage(striped, options);
    const centre = (112 * 224 + 112) * 3;
    expect([...pixels.subarray(centre, centre + 3)]).toEqual([0, 255, 0]);
    // Near the left edge it is still green: the red third was cropped away.
    const nearLeft = (112 * 224 + 8) * 3;
    expect(pixels[nearLeft + 1]).toBeGreaterThan(200);
    expect(pixels[nearLeft]).toBeLessThan(50);
  });

  describe('treats every encoding of the same photo alike', () => {
    let variants: Record<string, Buffer>;
    beforeAll(async () => {
      variants = await encodings(photo);
    });
    it('grayscale becomes three equal channels', async () => {
      const { pixels } = await decodeImage(variants.grayscale!, options);
      for (let i = 0; i < pixels.length; i += 3 * 997) expect([pixels[i + 1], pixels[i + 2]]).toEqual([pixels[i], pixels[i]]);
    });

    it.each(['progressive JPEG', 'CMYK JPEG', 'grayscale', 'RGBA PNG', '16-bit PNG', 'WebP', 'GIF', 'EXIF-rotated JPEG'])('%s', async (name) => {
      const decoded = await decodeImage(variants[name]!, options);
      expect(decoded.pixels.byteLength).toBe(224 * 224 * 3);
      // Lossy re-encoding, palette (GIF), CMYK round trips and dropping colour
      // (grayscale) all move pixels a little; a wrong rotation, a dropped
      // alpha or a wrong channel order moves them a lot (> 40).
      const expected = name === 'grayscale' ? grayOf(reference) : reference;
      expect(meanAbsDiff(decoded.pixels, expected)).toBeLessThan(name === 'GIF' ? 20 : 12);
    });

    it('16-bit with a colour profile: converted to sRGB through it, like the 8-bit copy', async () => {
      // Display P3 here; sharp brings any profiled 16-bit image into P3 first, an sRGB-tagged one included.
      const wideGamut = await sharp(photo).toColourspace('rgb16').withIccProfile('p3').png().toBuffer();
      expect(await sharp(wideGamut).metadata()).toMatchObject({ depth: 'ushort', hasProfile: true });
      const decoded = await decodeImage(wideGamut, options);
      // P3 values read as sRGB are 1-7 grey levels off on the sample photos (7 on this one); through the profile, 0.5.
      expect(meanAbsDiff(decoded.pixels, reference)).toBeLessThan(1.5);
    });

    it('reports EXIF-rotated dimensions as displayed', async () => {
      const meta = await sharp(photo).metadata();
      const decoded = await decodeImage(variants['EXIF-rotated JPEG']!, options);
      expect([decoded.width, decoded.height]).toEqual([meta.width, meta.height]);
    });
  });

  it('flattens transparency onto white', async () => {
    const transparent = await sharp({ create: { width: 50, height: 50, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const { pixels } = await decodeImage(transparent, options);
    expect(pixels.every((v) => v === 255)).toBe(true);
  });

  it.each([
    ['an animated GIF', animatedGif],
    ['a multi-page TIFF', multiPageTiff],
  ])('uses the first frame of %s', async (_, make) => {
    const gif = await make(photo);
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const firstFrame = await decodeImage(await sharp(gif, { pages: 1 }).png().toBuffer(), options);
    const decoded = await decodeImage(gif, options);
    expect(meanAbsDiff(decoded.pixels, firstFrame.pixels)).toBeLessThan(1);
    expect(meanAbsDiff(decoded.pixels, Buffer.alloc(decoded.pixels.length, 128))).toBeGreaterThan(20);
  });

  it(`answers images whose shorter side is exactly ${MIN_IMAGE_SIDE} pixels, however long the other`, async () => {
    for (const [width, height] of [[MIN_IMAGE_SIDE, MIN_IMAGE_SIDE], [MIN_IMAGE_SIDE, 20000]] as const) {
      const image = await sharp({ create: { width, height, channels: 3, background: '#804020' } }).png().toBuffer();
      const { pixels } = await decodeImage(image, options);
      expect(pixels.byteLength).toBe(224 * 224 * 3);
    }
  });

  it('a lower minimum side, for measuring tiny images, decodes what serving refuses', async () => {
    const tiny = await sharp({ create: { width: 16, height: 24, channels: 3, background: '#804020' } }).png().toBuffer();
    await expectInputError(tiny, 'too_small');
    const { pixels, width, height } = await decodeImage(tiny, { ...options, minSide: 16 });
    expect([width, height, pixels.byteLength]).toEqual([16, 24, 224 * 224 * 3]);
    await expect(decodeImage(tiny, { ...options, minSide: 17 })).rejects.toThrow(/16×24 pixels.*at least 17/);
  });
});

describe('decodeImage refuses what it cannot classify, with a reason', () => {
  it('empty input', () => expectInputError(new Uint8Array(0), 'empty'));
  it('text named .jpg', () => expectInputError(Buffer.from('just some text, not a photo'), 'unsupported_format'));
  it('HTML', () => expectInputError(Buffer.from('<!doctype html><html><body>hi</body></html>'), 'unsupported_format'));
  it('SVG with a script (never rasterised)', () => expectInputError(SVG_WITH_SCRIPT, 'unsupported_format', /: send a JPEG, PNG, WebP, GIF, AVIF or TIFF image/));
  it('a fake PDF', () => expectInputError(Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF'), 'unsupported_format'));
  it('HEIC', () => expectInputError(HEIC_HEADER, 'unsupported_format', /: send a JPEG, PNG, WebP, GIF, AVIF or TIFF image/));
  it('random bytes behind a PNG signature', () =>
    expectInputError(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 7)]), 'corrupt'));

  it('a truncated JPEG', async () => {
    const photo = await readSample('dog');
    await expectInputError(photo.subarray(0, Math.floor(photo.length / 2)), 'corrupt');
  });

  it('a decompression bomb, before decoding it', async () => {
    const bomb = pixelBomb(30000, 30000);
    expect(bomb.byteLength).toBeLessThan(200_000);
    await expectInputError(bomb, 'too_many_pixels', /30000×30000/);
    // The same header over one row of pixels: decoding it would fail as
    // 'corrupt', so 'too_many_pixels' shows the header was judged first.
    await expectInputError(pngHeaderOnly(30000, 30000), 'too_many_pixels', /30000×30000/);
  });

  it(`images under ${MIN_IMAGE_SIDE} pixels on the shorter side, named with their size`, async () => {
    for (const [width, height] of [[1, 1], [1, 20000], [MIN_IMAGE_SIDE - 1, 600]] as const) {
      const image = await sharp({ create: { width, height, channels: 3, background: '#804020' } }).png().toBuffer();
      await expectInputError(image, 'too_small', new RegExp(`${width}×${height} pixels.*at least ${MIN_IMAGE_SIDE}`));
    }
  });

  it('inspectImage checks the real format, not a name or MIME type', async () => {
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#fff' } }).png().toBuffer();
    await expect(inspectImage(png, 64 * 48)).resolves.toEqual({ format: 'png', width: 64, height: 48 });
  });
});
