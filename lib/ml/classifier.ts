/**
 * @file The classifier: decode (image.ts) -> run (session.ts) -> postprocess.
 * Framework-free: the web app, the REST API, the CLIs, the benchmarks and the
 * tests all classify through this class.
 */
import { decodeImage, MIN_IMAGE_SIDE, type DecodedImage } from './image';
import { loadModelArtifacts, type ModelCard } from './model-card';
import { toPredictions, type Prediction } from './postprocess';
import { createClassifierSession, type ClassifierSession, type ExecutionProvider, type InferenceDevice } from './session';

export interface ClassifierOptions {
  /** Path of the model card JSON; the ONNX file is beside it. */
  cardPath: string;
  device?: InferenceDevice;
  intraOpThreads?: number;
  /** See SessionOptions.spinning. */
  spinning?: boolean;
  /** Refuse images with more pixels than this. */
  maxPixels?: number;
  /** Refuse images with a shorter side under this (default MIN_IMAGE_SIDE; see DecodeOptions). */
  minImageSide?: number;
}

export interface ImageClassification extends Prediction {
  /** Milliseconds spent decoding and resizing, and in the model. */
  timings: { decodeMs: number; inferenceMs: number };
  image: Pick<DecodedImage, 'format' | 'width' | 'height'>;
}

export const DEFAULT_MAX_PIXELS = 50_000_000;

export class Classifier {
  private constructor(
    readonly card: ModelCard,
    private readonly session: ClassifierSession,
    private readonly maxPixels: number,
    private readonly minImageSide: number,
  ) {}

  /** Loads and verifies the model, creates its session and warms it up. */
  static async load(options: ClassifierOptions): Promise<Classifier> {
    const { card, modelBytes } = await loadModelArtifacts(options.cardPath);
    const [, height, width, channels] = card.input.shape;
    const session = await createClassifierSession({
      model: modelBytes,
      inputName: card.input.name,
      outputName: card.output.name,
      imageShape: [height, width, channels],
      device: options.device ?? 'cpu',
      intraOpThreads: options.intraOpThreads ?? 1,
      spinning: options.spinning,
    });
    return new Classifier(card, session, options.maxPixels ?? DEFAULT_MAX_PIXELS, options.minImageSide ?? MIN_IMAGE_SIDE);
  }

  get executionProvider(): ExecutionProvider {
    return this.session.executionProvider;
  }

  get fallbackReason(): string | null {
    return this.session.fallbackReason;
  }

  get inputSize(): number {
    return this.card.input.shape[1];
  }

  /** File bytes -> model input. Throws ImageInputError for unusable files. */
  decode(bytes: Uint8Array): Promise<DecodedImage> {
    return decodeImage(bytes, { size: this.inputSize, maxPixels: this.maxPixels, minSide: this.minImageSide });
  }

  /** Classifies already-decoded images in one batch. */
  async classifyPixels(images: readonly Uint8Array[]): Promise<Prediction[]> {
    if (images.length === 0) return [];
    return this.classifyBatch(images.length === 1 ? images[0]! : Buffer.concat(images), images.length);
  }

  /** Classifies `batch` decoded images laid end to end in one buffer (the worker threads' format). */
  async classifyBatch(pixels: Uint8Array, batch: number): Promise<Prediction[]> {
    return toPredictions(await this.session.run(pixels, batch), this.card.classes);
  }

  /** One file, bytes to probabilities. */
  async classify(bytes: Uint8Array): Promise<ImageClassification> {
    const t0 = performance.now();
    const decoded = await this.decode(bytes);
    const t1 = performance.now();
    const [prediction] = await this.classifyPixels([decoded.pixels]);
    const t2 = performance.now();
    return {
      ...prediction!,
      timings: { decodeMs: t1 - t0, inferenceMs: t2 - t1 },
      image: { format: decoded.format, width: decoded.width, height: decoded.height },
    };
  }

  dispose(): Promise<void> {
    return this.session.dispose();
  }
}
