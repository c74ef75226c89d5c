/** Model-level measurements shared by `bench:model` and `bench` (scripts/bench-model.ts, scripts/bench-serving.ts). */
import sharp from 'sharp';
import type { Classifier } from '~/lib/ml/classifier';
import { measure, stats, type Stats } from './stats';

export const MODEL_BATCH_SIZES = [1, 2, 4, 8, 16, 32] as const;

export type ModelOnlyByBatch = Record<number, { imagesPerSecond: number; msPerBatch: Stats }>;

/** The model alone on one decoded image repeated to each batch size: images/s and ms per batch. */
export async function modelOnlyByBatch(classifier: Classifier, pixels: Uint8Array, seconds: number): Promise<ModelOnlyByBatch> {
  const byBatch: ModelOnlyByBatch = {};
  for (const batch of MODEL_BATCH_SIZES) {
    const input = Array.from({ length: batch }, () => pixels);
    const s = stats(await measure(seconds, () => classifier.classifyPixels(input)));
    byBatch[batch] = { imagesPerSecond: Number(((batch * 1000) / s.mean).toFixed(1)), msPerBatch: s };
  }
  return byBatch;
}

/** A 12-megapixel (4000×3000) JPEG made from a real photo: the size of a phone camera's shot. */
export function twelveMegapixelJpeg(photo: Uint8Array): Promise<Buffer> {
  return sharp(photo).resize(4000, 3000, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer();
}
