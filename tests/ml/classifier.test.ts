/**
 * The real committed model through the real session: no fakes. Fails (never
 * skips) when the model is missing, saying how to build it.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Classifier } from '~/lib/ml/classifier';
import { DEFAULT_MODEL_CARD } from '~/lib/ml/defaults';
import { ImageInputError } from '~/lib/ml/image';
import { loadModelArtifacts, ModelLoadError } from '~/lib/ml/model-card';
import { createClassifierSession, ExecutionProviderError } from '~/lib/ml/session';
import { encodings, readSample, twelveMegapixelJpeg } from '../fixtures/images';
import { cudaProviderInstalled, itOnCuda, itWithoutCuda } from '../support/cuda';

let classifier: Classifier;
beforeAll(async () => {
  classifier = await Classifier.load({ cardPath: DEFAULT_MODEL_CARD });
});
afterAll(() => classifier.dispose());

describe('Classifier', () => {
  it.each(['cat', 'dog', 'neither'] as const)('classifies a real %s photo from the test split', async (kind) => {
    const result = await classifier.classify(await readSample(kind));
    expect(result.label).toBe(kind);
    expect(result.confidence).toBe(result.probabilities[kind]);
    expect(result.confidence).toBeGreaterThan(0.5);
    const total = result.probabilities.cat + result.probabilities.dog + result.probabilities.neither;
    expect(total).toBeCloseTo(1, 5);
  });

  it('classifies every encoding of a cat photo as a cat', async () => {
    const variants = await encodings(await readSample('cat'));
    for (const [name, bytes] of Object.entries({ ...variants, '12 MP JPEG': await twelveMegapixelJpeg(await readSample('cat')) })) {
      const result = await classifier.classify(bytes);
      expect({ name, label: result.label }).toEqual({ name, label: 'cat' });
    }
  });

  it('gives the same answer for a batch as for single images', async () => {
    const images = await Promise.all((['cat', 'dog', 'neither'] as const).map(async (k) => (await classifier.decode(await readSample(k))).pixels));
    const batched = await classifier.classifyPixels(images);
    for (const [i, pixels] of images.entries()) {
      const [single] = await classifier.classifyPixels([pixels]);
      expect(batched[i]!.label).toBe(single!.label);
      expect(batched[i]!.probabilities.cat).toBeCloseTo(single!.probabilities.cat, 4);
    }
  });

  it('refuses an unusable file with an ImageInputError', async () => {
    await expect(classifier.classify(Buffer.from('not an image'))).rejects.toBeInstanceOf(ImageInputError);
  });

  it('runs on CPU when no device is asked for, with no fallback to explain', () => {
    expect([classifier.executionProvider, classifier.fallbackReason]).toEqual(['cpu', null]);
  });
});

describe('model loading', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'petlens-model-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses a model file whose bytes do not match the card (corrupt or swapped)', async () => {
    const { card, modelPath } = await loadModelArtifacts(DEFAULT_MODEL_CARD);
    const bytes = await readFile(modelPath);
    await writeFile(path.join(dir, card.file), bytes.subarray(0, bytes.length - 1000));
    await copyFile(DEFAULT_MODEL_CARD, path.join(dir, 'card.json'));
    await expect(loadModelArtifacts(path.join(dir, 'card.json'))).rejects.toThrow(/corrupt or not the one its card describes/);
    await expect(loadModelArtifacts(path.join(dir, 'card.json'))).rejects.toMatchObject({ code: 'model_mismatch' });
  });

  it('says which file is missing', async () => {
    await writeFile(path.join(dir, 'missing.json'), JSON.stringify({ ...JSON.parse(await readFile(DEFAULT_MODEL_CARD, 'utf8')), file: 'nope.onnx' }));
    await expect(loadModelArtifacts(path.join(dir, 'missing.json'))).rejects.toThrow(/nope\.onnx cannot be read/);
    await expect(loadModelArtifacts(path.join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'model_unreadable' });
    await expect(loadModelArtifacts(path.join(dir, 'no-card.json'))).rejects.toBeInstanceOf(ModelLoadError);
    await expect(loadModelArtifacts(path.join(dir, 'no-card.json'))).rejects.toMatchObject({ code: 'card_unreadable' });
  });

  it('refuses an invalid card', async () => {
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify({ name: 'x' }));
    await expect(loadModelArtifacts(path.join(dir, 'bad.json'))).rejects.toThrow(/is invalid/);
    await expect(loadModelArtifacts(path.join(dir, 'bad.json'))).rejects.toMatchObject({ code: 'card_invalid' });
  });

  it('refuses a name or version with an "@", which would make NAME@VERSION ambiguous', async () => {
    const card = JSON.parse(await readFile(DEFAULT_MODEL_CARD, 'utf8')) as { version: string };
    card.version = '1.0@rc1';
    await writeFile(path.join(dir, 'at.json'), JSON.stringify(card));
    await expect(loadModelArtifacts(path.join(dir, 'at.json'))).rejects.toMatchObject({ code: 'card_invalid', message: expect.stringMatching(/must not contain "@"[\s\S]*version/) });
  });

  it('refuses a card whose preprocessing disagrees with its input side', async () => {
    const card = JSON.parse(await readFile(DEFAULT_MODEL_CARD, 'utf8')) as { preprocessing: { crop: { width: number } } };
    card.preprocessing.crop.width = 256;
    await writeFile(path.join(dir, 'skewed.json'), JSON.stringify(card));
    await expect(loadModelArtifacts(path.join(dir, 'skewed.json'))).rejects.toThrow(/crop 256×288 must all be one square side/);
  });

  it('refuses a card whose resize kernel is not the one serving uses', async () => {
    const card = JSON.parse(await readFile(DEFAULT_MODEL_CARD, 'utf8')) as { preprocessing: { resize: { kernel: string } } };
    card.preprocessing.resize.kernel = 'cubic';
    await writeFile(path.join(dir, 'cubic.json'), JSON.stringify(card));
    await expect(loadModelArtifacts(path.join(dir, 'cubic.json'))).rejects.toMatchObject({ code: 'card_invalid', message: expect.stringMatching(/lanczos3/) });
  });
});

describe('execution provider selection', () => {
  const sessionOptions = async (device: 'auto' | 'cuda' | 'cpu') => {
    const { card, modelBytes } = await loadModelArtifacts(DEFAULT_MODEL_CARD);
    return { model: modelBytes, inputName: card.input.name, outputName: card.output.name, imageShape: [card.input.shape[1], card.input.shape[2], 3] as const, device, intraOpThreads: 1 };
  };

  itWithoutCuda('auto falls back to CPU with the reason when CUDA cannot run', async () => {
    const session = await createClassifierSession(await sessionOptions('auto'));
    try {
      expect(session.executionProvider).toBe('cpu');
      expect(session.fallbackReason).toEqual(expect.any(String));
      expect(session.fallbackReason!.length).toBeGreaterThan(0);
    } finally {
      await session.dispose();
    }
  });

  // The default install: onnxruntime alone would say "Failed to load shared library", which tells no one what to do.
  (cudaProviderInstalled() || process.platform !== 'linux' || process.arch !== 'x64' ? it.skip : it)('without the CUDA provider libraries, names them and where the README says to get them', async () => {
    const session = await createClassifierSession(await sessionOptions('auto'));
    try {
      expect(session.executionProvider).toBe('cpu');
      expect(session.fallbackReason).toMatch(/libonnxruntime_providers_cuda\.so (is|are) missing from .+onnxruntime-node\/bin\/napi-v6\/linux\/x64; the README's "GPU \(CUDA\)" section/);
    } finally {
      await session.dispose();
    }
    await expect(createClassifierSession(await sessionOptions('cuda'))).rejects.toThrow(/the device is cuda, not auto.*libonnxruntime_providers_cuda\.so (is|are) missing/);
  });

  itWithoutCuda('cuda fails loudly when CUDA cannot run', async () => {
    await expect(createClassifierSession(await sessionOptions('cuda'))).rejects.toBeInstanceOf(ExecutionProviderError);
  });

  itOnCuda('auto and cuda run on the GPU where the CUDA provider is installed', async () => {
    for (const device of ['auto', 'cuda'] as const) {
      const session = await createClassifierSession(await sessionOptions(device));
      try {
        expect([device, session.executionProvider, session.fallbackReason]).toEqual([device, 'cuda', null]);
      } finally {
        await session.dispose();
      }
    }
  });

  it('cpu never tries CUDA', async () => {
    const session = await createClassifierSession(await sessionOptions('cpu'));
    expect([session.executionProvider, session.fallbackReason]).toEqual(['cpu', null]);
    await session.dispose();
  });
});
