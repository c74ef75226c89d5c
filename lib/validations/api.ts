/**
 * @file The REST API's request and response shapes (/api/v1). The route
 * handlers validate with them and the OpenAPI document is generated from
 * them (zod's toJSONSchema), so the two cannot drift apart.
 */
import { z } from 'zod';
import { LABELS } from '~/lib/config';
import { modelCardSchema } from '~/lib/ml/model-card';

export const predictJsonRequestSchema = z
  .object({
    instances: z
      .array(
        z.object({
          b64: z.string().describe('The image file (JPEG, PNG, WebP, GIF, AVIF or TIFF), base64-encoded; a data: URL prefix, line breaks, the URL-safe alphabet and missing padding are accepted'),
        }),
      )
      .min(1, 'instances must hold at least one image')
      .describe('Images to classify, in the manner of TensorFlow Serving’s REST predict API'),
  })
  .describe('JSON body of POST /api/v1/predict');

export const probabilitiesSchema = z.object({ cat: z.number().min(0).max(1), dog: z.number().min(0).max(1), neither: z.number().min(0).max(1) });

export const apiPredictionSchema = z.object({
  label: z.enum(LABELS),
  confidence: z.number().min(0).max(1).describe('Probability of `label`'),
  probabilities: probabilitiesSchema,
  id: z.uuid().optional().describe('The stored prediction in the token owner’s history (token calls only)'),
});

export const modelRefSchema = z.object({ name: z.string(), version: z.string() });

export const predictResponseSchema = z.object({
  predictions: z.array(apiPredictionSchema).describe('One per image, in request order'),
  model: modelRefSchema,
  saved: z.boolean().describe('Whether the predictions were stored in the token owner’s history (always false without a token)'),
  notSaved: z
    .string()
    .optional()
    .describe('With a token, why the predictions were answered but not stored (none of the request is stored, and its images do not count against the per-minute limit)'),
});

export const API_ERROR_CODES = [
  'bad_request',
  'not_found',
  'method_not_allowed',
  'missing_field',
  'too_many_files',
  'empty_file',
  'unauthorized',
  'payload_too_large',
  'request_timeout',
  'unsupported_media_type',
  'unsupported_format',
  'corrupt_image',
  'too_many_pixels',
  'image_too_small',
  'rate_limited',
  'queue_full',
  'model_unavailable',
  'database_unavailable',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const apiErrorSchema = z.object({
  error: z.object({
    code: z.enum(API_ERROR_CODES),
    message: z.string().describe('Safe to show to a person'),
    index: z.number().int().min(0).optional().describe('Which image (0-based) the error is about, single-image requests included; absent when the error is about the whole request'),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

export const healthResponseSchema = z.object({
  status: z
    .enum(['ok', 'degraded', 'unavailable'])
    .describe('degraded (200): some inference workers are being replaced after a crash; unavailable (503): no model, no worker ready, or no database'),
  model: z.object({
    loaded: z.boolean(),
    name: z.string().nullable(),
    version: z.string().nullable(),
    executionProvider: z.enum(['cuda', 'cpu']).nullable(),
    fallbackReason: z.string().nullable().describe('Set when INFERENCE_DEVICE=auto fell back to CPU; the reason itself is in the server log'),
    error: z.string().nullable(),
    workers: z.number().int().nullable().describe('Inference worker threads configured'),
    workersReady: z.number().int().nullable().describe('Of those, ready to serve; fewer while crashed ones are being replaced'),
    workerRestarts: z.number().int().nullable().describe('Crashed workers replaced since the server started'),
    batching: z.boolean().nullable(),
  }),
  database: z.object({ reachable: z.boolean(), latencyMs: z.number().nullable() }),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

/**
 * The model card as served by GET /api/v1/model: the schema the server loads the card with (lib/ml/model-card.ts),
 * so the document names every part of it (file, preprocessing, training, metrics too), and keeps what it does not
 * name (loose, like the card).
 */
export const modelCardResponseSchema = modelCardSchema;
