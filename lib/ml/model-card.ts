/**
 * @file The model card: the JSON written beside each ONNX model by training.
 * It is the single source of the class list, the input geometry and the
 * tensor names; nothing else hard-codes them.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export const LABELS = ['cat', 'dog', 'neither'] as const;
export type Label = (typeof LABELS)[number];

// Null where the ratio is undefined (see lib/ml/metrics). Also reads stored evaluation runs (lib/server/queries/admin.ts).
export const classMetricsSchema = z.object({
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  f1: z.number().nullable(),
  /** Number of images whose true label is this class. */
  support: z.number(),
});

// Keys not named here are kept (loose), so GET /api/v1/model serves the whole card (the output's note,
// the architecture), not only what serving reads.
const tensorSchema = z
  .object({
    name: z.string().min(1),
    dtype: z.string(),
    shape: z.array(z.union([z.string(), z.number()])),
  })
  .loose();

/** The admin's model filter writes a model as NAME@VERSION, so neither half may hold an "@" of its own. */
const modelIdentifier = z
  .string()
  .min(1)
  .regex(/^[^@]+$/, 'must not contain "@": the admin dashboard names a model as NAME@VERSION');

export const modelCardSchema = z.object({
  name: modelIdentifier,
  version: modelIdentifier,
  file: z.string().min(1),
  bytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  // The product's three classes, in the model's output order.
  classes: z.tuple([z.literal('cat'), z.literal('dog'), z.literal('neither')]),
  input: tensorSchema.extend({
    dtype: z.literal('uint8'),
    layout: z.literal('NHWC'),
    shape: z.tuple([z.string(), z.number().int().positive(), z.number().int().positive(), z.literal(3)]),
  }),
  output: tensorSchema,
  preprocessing: z
    .object({
      // lib/ml/image.ts resizes with Lanczos-3 and nothing else: a card that says otherwise describes another preprocessing.
      resize: z.object({ shorterSide: z.number().int().positive(), kernel: z.literal('lanczos3') }),
      crop: z.object({ type: z.literal('center'), width: z.number().int(), height: z.number().int() }),
      colorOrder: z.literal('RGB'),
      mean: z.array(z.number()).length(3),
      std: z.array(z.number()).length(3),
      normalizationInGraph: z.literal(true),
    })
    .loose(),
  training: z.record(z.string(), z.unknown()),
  metrics: z
    .object({
      test: z
        .object({
          bySource: z.record(
            z.string(),
            z.object({ n: z.number(), accuracy: z.number(), perClass: z.record(z.string(), classMetricsSchema) }).loose(),
          ),
        })
        .loose()
        .optional(),
    })
    .loose(),
}).loose().superRefine((card, context) => {
  // Serving decodes to a square of input.shape[1] (decodeImage); a card whose
  // preprocessing says otherwise would load and then fail on every image, or
  // serve at a side its own description contradicts.
  const [, height, width] = card.input.shape;
  const { resize, crop } = card.preprocessing;
  if (height !== width || resize.shorterSide !== height || crop.width !== width || crop.height !== height) {
    context.addIssue({
      code: 'custom',
      path: ['preprocessing'],
      message: `input ${height}×${width}, resize to ${resize.shorterSide} and crop ${crop.width}×${crop.height} must all be one square side`,
    });
  }
});

export type ModelCard = z.infer<typeof modelCardSchema>;

/** A model card and the ONNX file it describes, checked against each other. */
export interface ModelArtifacts {
  card: ModelCard;
  cardPath: string;
  modelPath: string;
  modelBytes: Buffer;
}

export type ModelLoadErrorCode = 'card_unreadable' | 'card_invalid' | 'model_unreadable' | 'model_mismatch';

/** The model cannot be used; `message` names paths (for logs and CLIs), `code` does not (for public answers). */
export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
  constructor(
    readonly code: ModelLoadErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads the card at `cardPath` and the ONNX file it names, and refuses a
 * model whose bytes do not match the card's sha256: a truncated or swapped
 * file must stop the app at start, not misclassify quietly.
 */
export async function loadModelArtifacts(cardPath: string): Promise<ModelArtifacts> {
  let raw: string;
  try {
    raw = await readFile(cardPath, 'utf8');
  } catch (error) {
    throw new ModelLoadError('card_unreadable', `model card ${cardPath} cannot be read: ${(error as Error).message}. Run \`npm run train\` or restore models/ from git.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ModelLoadError('card_invalid', `model card ${cardPath} is not valid JSON`);
  }
  const parsed = modelCardSchema.safeParse(json);
  if (!parsed.success) {
    throw new ModelLoadError('card_invalid', `model card ${cardPath} is invalid: ${z.prettifyError(parsed.error)}`);
  }
  const card = parsed.data;
  const modelPath = path.resolve(path.dirname(cardPath), card.file);
  let modelBytes: Buffer;
  try {
    modelBytes = await readFile(modelPath);
  } catch (error) {
    throw new ModelLoadError('model_unreadable', `model file ${modelPath} cannot be read: ${(error as Error).message}`);
  }
  const sha256 = createHash('sha256').update(modelBytes).digest('hex');
  if (sha256 !== card.sha256) {
    throw new ModelLoadError(
      'model_mismatch',
      `model file ${modelPath} is corrupt or not the one its card describes (sha256 ${sha256.slice(0, 12)}…, card says ${card.sha256.slice(0, 12)}…)`,
    );
  }
  return { card, cardPath, modelPath, modelBytes };
}
