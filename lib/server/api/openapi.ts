import 'server-only';

import { z } from 'zod';
import { env } from '~/lib/env';
import {
  apiErrorSchema,
  healthResponseSchema,
  modelCardResponseSchema,
  predictJsonRequestSchema,
  predictResponseSchema,
} from '~/lib/validations/api';
import { MAX_OTHER_FIELDS, maxImagesPerRequest, maxJsonValues } from './predict';

/**
 * A zod schema as an OpenAPI 3.1 schema object (JSON Schema 2020-12, without the $schema key). `io` says which side
 * of the schema to describe: `input` for a request body (what the handler accepts: zod strips unknown keys, so they
 * are allowed), `output` for a response (what the handler sends: zod's output mode closes plain objects with
 * additionalProperties: false, so a response may only carry what is named, unless the schema is loose).
 */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
const error = (description: string) => ({ description, content: json('Error') });

/** The JSON request's schema, with the per-request image limit that the handler enforces (it is configuration, not shape). */
function predictJsonRequestDocument(): Record<string, unknown> {
  const document = schemaOf(predictJsonRequestSchema, 'input') as { properties: { instances: Record<string, unknown> } };
  document.properties.instances.maxItems = maxImagesPerRequest();
  return document;
}

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } } };

/**
 * The OpenAPI 3.1 description of /api/v1, generated from the same zod
 * schemas the handlers validate and answer with.
 */
export function buildOpenApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'PetLens API',
      version: '1.0.0',
      description:
        'Classifies photos as cat, dog or neither. Anonymous calls are allowed (rate-limited per IP, never stored); ' +
        'with a personal API token (create one on /account) predictions are saved to your history. ' +
        // No operation answers 405 itself, so it is said here rather than listed under one (lib/server/api/http.ts otherMethods).
        'A method a path does not take is answered 405 (code "method_not_allowed") with an Allow header naming those it does; ' +
        'OPTIONS on an endpoint answers 204 with that Allow header, and the GET endpoints answer HEAD too. ' +
        'A path under /api that no endpoint serves is answered 404 (code "not_found"). ' +
        // scripts/serve.cjs: Node's HTTP parser refuses these before any route sees them.
        'Before any route: a request that is not HTTP is answered 400, headers over 16 KiB 431, and headers slower than 60 s ' +
        'or a whole request slower than 300 s 408, all as JSON errors (code "bad_request" or "request_timeout"), and the connection is closed. ' +
        `A JSON request may carry at most ${maxJsonValues()} JSON values in all and a multipart one at most ${MAX_OTHER_FIELDS} fields besides its images (400 "too_many_files").`,
    },
    // Relative: the server this document was fetched from. Behind a proxy the
    // request's own URL names the app's listening address, not the public one.
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer', description: 'A personal API token from /account (starts with "pl_")' } },
      schemas: {
        PredictJsonRequest: predictJsonRequestDocument(),
        PredictMultipartRequest: {
          type: 'object',
          required: ['image'],
          properties: {
            image: {
              description: `One or more image files (at most ${maxImagesPerRequest()}, each at most ${env.MAX_UPLOAD_BYTES} bytes)`,
              oneOf: [
                { type: 'string', contentMediaType: 'application/octet-stream' },
                { type: 'array', items: { type: 'string', contentMediaType: 'application/octet-stream' }, maxItems: maxImagesPerRequest() },
              ],
            },
          },
        },
        PredictResponse: schemaOf(predictResponseSchema, 'output'),
        Error: schemaOf(apiErrorSchema, 'output'),
        Health: schemaOf(healthResponseSchema, 'output'),
        ModelCard: schemaOf(modelCardResponseSchema, 'output'),
      },
    },
    paths: {
      '/api/v1/predict': {
        post: {
          operationId: 'predict',
          summary: 'Classify one or more images',
          security: [{}, { bearerToken: [] }],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': { schema: ref('PredictMultipartRequest'), encoding: { image: { contentType: 'image/*' } } },
              'application/json': { schema: ref('PredictJsonRequest') },
            },
          },
          responses: {
            '200': { description: 'One prediction per image, in order', content: json('PredictResponse') },
            '400': error(`Malformed body, missing field, empty file or too many files (with a token, also more images than API_TOKEN_RATE_LIMIT allows in a minute, ${env.API_TOKEN_RATE_LIMIT})`),
            '401': {
              ...error('The bearer token is malformed, unknown or revoked, or was revoked while the request was under way (then nothing of it is stored)'),
              headers: { 'WWW-Authenticate': { schema: { type: 'string' }, description: 'Bearer realm="petlens"' } },
            },
            '408': error('The body arrived too slowly (API_BODY_MIN_BYTES_PER_SECOND, after the first 10 s)'),
            '413': error(`The body or one image is too large (an image, multipart or decoded from b64, at most ${env.MAX_UPLOAD_BYTES} bytes)`),
            '415': error('Unsupported request content type or image format (e.g. HEIC, SVG)'),
            '422': error('The image is damaged, has too many pixels, or is under the minimum size on its shorter side'),
            '429': { ...error('Rate limit reached (anonymous calls per address, or images per token owner), or the inference queue is full'), headers: RETRY_AFTER },
            '503': {
              ...error(
                'The model is unavailable (restarting, or the classifier failed; code "model_unavailable"), or the database is ' +
                  '(the token cannot be checked, or the images were classified but could not be saved; code "database_unavailable"). ' +
                  'Nothing of the request is stored and a token\'s allowance is given back: it may be sent again.',
              ),
              headers: RETRY_AFTER,
            },
            '500': error('An unexpected failure on the server (code "internal"; the cause is logged, not sent)'),
          },
        },
      },
      '/api/v1/health': {
        get: {
          operationId: 'health',
          summary: 'Model loaded (and on which execution provider), inference workers ready, database reachable',
          responses: {
            '200': { description: 'Healthy (status ok), or degraded: some inference workers are being replaced', content: json('Health') },
            '503': { description: 'Not healthy: no model, no inference worker ready, or no database', content: json('Health') },
          },
        },
      },
      '/api/v1/model': {
        get: {
          operationId: 'model',
          summary: 'The model card: classes, preprocessing, tensors, training and metrics',
          responses: { '200': { description: 'The model card', content: json('ModelCard') }, '503': { ...error('The model is not loaded'), headers: RETRY_AFTER } },
        },
      },
      '/api/v1/openapi.json': {
        get: { operationId: 'openapi', summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1 document', content: { 'application/json': {} } } } },
      },
    },
  };
}
