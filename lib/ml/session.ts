/**
 * @file The only module that imports onnxruntime-node. It creates one
 * inference session for the classifier, picks the execution provider
 * (CUDA where it works, CPU otherwise) and runs uint8 NHWC batches.
 *
 * NOTE: `session.run` is synchronous native work (it only defers with
 * setImmediate), so a server must call it from a worker thread, never on the
 * event loop of a busy process.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
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
  /**
   * Intra-op threads spin between the model's operators instead of sleeping
   * (default false). Spinning makes one run on two threads a third faster
   * (no wake-up per operator), but burns the core it spins on: a server keeps
   * it for the run of a lone image on an otherwise idle service (see
   * inference-worker.ts), never under load.
   */
  spinning?: boolean;
}

export interface ClassifierSession {
  readonly executionProvider: ExecutionProvider;
  /** Why CUDA was not used, when `device` was 'auto' and it failed. */
  readonly fallbackReason: string | null;
  /** `pixels` holds `batch` images back to back; returns batch x classes logits. */
  run(pixels: Uint8Array, batch: number): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/**
 * Whether a lone image (one on an otherwise idle server) is worth a spinning
 * session (SessionOptions.spinning): on the CPU with two or more intra-op
 * threads. One thread has no second thread to keep awake, and CUDA's kernels
 * do not run on these threads.
 */
export function spinsForLoneImages(provider: ExecutionProvider, intraOpThreads: number): boolean {
  return provider === 'cpu' && intraOpThreads >= 2;
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
    // By default idle intra-op threads sleep instead of spinning: in a server
    // they share the cores with sharp and the event loop, and spinning cost
    // about 10 % of the requests/s at concurrency 32 on 2 cores (npm run bench).
    extra: { session: { intra_op: { allow_spinning: options.spinning ? '1' : '0' } } },
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
 * The libraries onnxruntime-node loads for CUDA on Linux. Its default install
 * leaves them out (they come from NuGet, see the README's GPU section), and
 * without them onnxruntime says only "Failed to load shared library".
 */
const LINUX_CUDA_PROVIDER_LIBRARIES = ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'];

/**
 * Why CUDA cannot load, when that is known without trying: on Linux, the
 * provider libraries missing beside onnxruntime-node's own binary (the folder
 * its install script fills). Null when it may work; trying tells the rest.
 */
function missingCudaProviderReason(): string | null {
  if (process.platform !== 'linux') return null;
  // onnxruntime-node's install script has CUDA provider libraries for linux/x64 only (script/install-metadata.js).
  if (process.arch !== 'x64') return `onnxruntime-node has CUDA provider libraries for linux/x64 only, not linux/${process.arch}`;
  // The folder dist/binding.js loads the binary from (napi-v6 in the pinned 1.30; check it when upgrading).
  const binaries = path.join(path.dirname(require.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', 'linux', process.arch);
  const missing = LINUX_CUDA_PROVIDER_LIBRARIES.filter((file) => !existsSync(path.join(binaries, file)));
  if (missing.length === 0) return null;
  return `onnxruntime-node's CUDA provider libraries are not installed: ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing from ${binaries}; the README's "GPU (CUDA)" section says how to add them`;
}

/**
 * Creates the session. 'cuda' fails if CUDA cannot run the model; 'auto'
 * tries CUDA (creation plus one warm-up run, because a provider can load and
 * still fail on first use) and falls back to CPU, reporting why.
 */
export async function createClassifierSession(options: SessionOptions): Promise<ClassifierSession> {
  let fallbackReason: string | null = null;
  if (options.device !== 'cpu') {
    const cuda = await tryCudaSession(options);
    if (typeof cuda !== 'string') return cuda;
    if (options.device === 'cuda') {
      // In the callers' words: `--device cuda` for the CLIs, INFERENCE_DEVICE=cuda (or auto, once settled on CUDA) for the app.
      throw new ExecutionProviderError(`the CUDA execution provider failed, and the device is cuda, not auto, so there is no falling back to the CPU: ${cuda}`);
    }
    fallbackReason = cuda;
  }
  return warmUp(wrap(await createOrtSession(options, 'cpu'), options, 'cpu', fallbackReason), options);
}

/** A warmed-up CUDA session, or why there is none. */
async function tryCudaSession(options: SessionOptions): Promise<ClassifierSession | string> {
  const missing = missingCudaProviderReason();
  if (missing !== null) return missing;
  let session: ort.InferenceSession | undefined;
  try {
    session = await createOrtSession(options, 'cuda');
    return await warmUp(wrap(session, options, 'cuda', null), options);
  } catch (error) {
    await session?.release().catch(() => undefined);
    return error instanceof Error ? error.message.split('\n')[0]! : String(error);
  }
}

async function warmUp(candidate: ClassifierSession, options: SessionOptions): Promise<ClassifierSession> {
  const batch = 1;
  await candidate.run(new Uint8Array(batch * options.imageShape.reduce((a, b) => a * b, 1)), batch);
  return candidate;
}
