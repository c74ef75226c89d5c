/**
 * @file The only module that imports onnxruntime-node. It creates one
 * inference session for the classifier, picks the execution provider
 * (CUDA where it works, CPU otherwise) and runs uint8 NHWC batches.
 *
 * NOTE: `session.run` is synchronous native work (it only defers with
 * setImmediate), so a server must call it from a worker thread, never on the
 * event loop of a busy process.
 */
import * as ort from 'onnxruntime-node';

export type InferenceDevice = 'auto' | 'cuda' | 'cpu';
export type ExecutionProvider = 'cuda' | 'cpu';

export interface SessionOptions {
  /** The ONNX file's bytes (already checked against the model card). */
  model: Uint8Array;
  inputName: string;
  outputName: string;
  /** [height, width, channels] of one image. */
  imageShape: readonly [number, number, number];
  device: InferenceDevice;
  /** Threads for one inference; keep it small in a server that also decodes images. */
  intraOpThreads: number;
}

export interface ClassifierSession {
  readonly executionProvider: ExecutionProvider;
  /** Why CUDA was not used, when `device` was 'auto' and it failed. */
  readonly fallbackReason: string | null;
  /** `pixels` holds `batch` images back to back; returns batch x classes logits. */
  run(pixels: Uint8Array, batch: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export class ExecutionProviderError extends Error {
  override name = 'ExecutionProviderError';
}

async function createOrtSession(options: SessionOptions, provider: ExecutionProvider): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(options.model, {
    executionProviders: provider === 'cuda' ? [{ name: 'cuda', deviceId: 0 }] : ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: options.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    logSeverityLevel: 3,
    // Idle intra-op threads sleep instead of spinning: in a server they share
    // the cores with sharp and the event loop, and spinning cost about 10 % of
    // the requests/s at concurrency 32 on 2 cores (npm run bench).
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
}

function wrap(session: ort.InferenceSession, options: SessionOptions, provider: ExecutionProvider, fallbackReason: string | null): ClassifierSession {
  const [height, width, channels] = options.imageShape;
  const imageBytes = height * width * channels;
  return {
    executionProvider: provider,
    fallbackReason,
    async run(pixels, batch) {
      if (pixels.byteLength !== batch * imageBytes) {
        throw new RangeError(`expected ${batch} x ${imageBytes} bytes, got ${pixels.byteLength}`);
      }
      const input = new ort.Tensor('uint8', pixels, [batch, height, width, channels]);
      const outputs = await session.run({ [options.inputName]: input });
      const logits = outputs[options.outputName];
      if (!logits || !(logits.data instanceof Float32Array)) {
        throw new Error(`model output ${options.outputName} is missing or not float32`);
      }
      return logits.data;
    },
    async dispose() {
      await session.release();
    },
  };
}

/**
 * Creates the session. 'cuda' fails if CUDA cannot run the model; 'auto'
 * tries CUDA (creation plus one warm-up run, because a provider can load and
 * still fail on first use) and falls back to CPU, reporting why.
 */
export async function createClassifierSession(options: SessionOptions): Promise<ClassifierSession> {
  const warmUp = async (candidate: ClassifierSession) => {
    const batch = 1;
    await candidate.run(new Uint8Array(batch * options.imageShape.reduce((a, b) => a * b, 1)), batch);
    return candidate;
  };

  if (options.device !== 'cpu') {
    let session: ort.InferenceSession | undefined;
    try {
      session = await createOrtSession(options, 'cuda');
      return await warmUp(wrap(session, options, 'cuda', null));
    } catch (error) {
      await session?.release().catch(() => undefined);
      const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      if (options.device === 'cuda') {
        throw new ExecutionProviderError(`the CUDA execution provider failed (INFERENCE_DEVICE=cuda, or auto once it has settled on CUDA): ${reason}`);
      }
      return warmUp(wrap(await createOrtSession(options, 'cpu'), options, 'cpu', reason));
    }
  }
  return warmUp(wrap(await createOrtSession(options, 'cpu'), options, 'cpu', null));
}
