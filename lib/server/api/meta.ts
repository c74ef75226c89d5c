import 'server-only';

import { logServerError } from '~/lib/errors';
import { getDb } from '~/lib/server/db';
import { ApiError, errorResponse, jsonResponse } from '~/lib/server/api/http';
import { buildOpenApiDocument } from '~/lib/server/api/openapi';
import { getInferenceService, lastInferenceStartError } from '~/lib/server/inference';
import type { HealthResponse } from '~/lib/validations/api';

const DB_TIMEOUT_MS = 2_000;

/**
 * The `SELECT 1` in flight. Probes that arrive together share it, so a load
 * balancer polling health (or many clients) cannot take a pooled connection
 * each, and while the database hangs they add one query per DB_TIMEOUT_MS,
 * not one each. One older than that is not shared: a query stuck on a dead
 * connection (pg has no query timeout here) must not keep health at 503
 * after the database is back.
 */
let pendingPing: { query: Promise<unknown>; startedAt: number } | null = null;

function pingDatabase(): Promise<unknown> {
  const now = performance.now();
  if (pendingPing && now - pendingPing.startedAt < DB_TIMEOUT_MS) return pendingPing.query;
  const ping = {
    startedAt: now,
    query: getDb().$queryRaw`SELECT 1`.finally(() => {
      if (pendingPing === ping) pendingPing = null;
    }),
  };
  pendingPing = ping;
  return ping.query;
}

/**
 * The database outage health has seen, if one is going on. A load balancer
 * probing every few seconds would otherwise write the same stack trace to the
 * log at each probe: the first failure is logged in full, the recovery in one
 * line with how long it lasted and how many probes it failed.
 */
let outage: { since: number; failedProbes: number } | null = null;

function noteProbe(outcome: { reachable: true } | { reachable: false; error: unknown }): void {
  if (outcome.reachable) {
    if (outage) {
      const seconds = ((Date.now() - outage.since) / 1000).toFixed(0);
      console.log(`[petlens] health: database reachable again after ${seconds} s (${outage.failedProbes} failed probe(s))`);
      outage = null;
    }
    return;
  }
  if (outage) {
    outage.failedProbes += 1;
    return;
  }
  outage = { since: Date.now(), failedProbes: 1 };
  logServerError('health: database unreachable (logged once until it answers again)', outcome.error);
}

async function probeDatabase(): Promise<HealthResponse['database']> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pingDatabase(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${DB_TIMEOUT_MS} ms`)), DB_TIMEOUT_MS);
      }),
    ]);
    noteProbe({ reachable: true });
    return { reachable: true, latencyMs: Number((performance.now() - started).toFixed(2)) };
  } catch (error) {
    noteProbe({ reachable: false, error });
    return { reachable: false, latencyMs: null };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET /api/v1/health: 200 when the model is loaded, a worker is ready and the
 * database answers ('degraded' while some workers are being replaced after a
 * crash: the rest still serve), else 503.
 */
export async function handleHealth(): Promise<Response> {
  const [model, database] = await Promise.all([
    getInferenceService().then(
      (service): HealthResponse['model'] => {
        const health = service.health();
        return {
          loaded: true,
          name: service.card.name,
          version: service.card.version,
          executionProvider: health.executionProvider,
          // Whether CUDA was given up, not why: the reason (library paths,
          // driver messages) is in the server log (lib/serving/app-service.ts).
          fallbackReason: health.fallbackReason ? 'CUDA could not be used; the reason is in the server log' : null,
          error: health.readyWorkers === 0 ? 'no inference worker is ready: restarting after a crash' : null,
          workers: health.workers,
          workersReady: health.readyWorkers,
          workerRestarts: health.workerRestarts,
          batching: health.batching.enabled,
        };
      },
      (): HealthResponse['model'] => ({
        loaded: false,
        name: null,
        version: null,
        executionProvider: null,
        fallbackReason: null,
        error: lastInferenceStartError() ?? 'the classifier could not start',
        workers: null,
        workersReady: null,
        workerRestarts: null,
        batching: null,
      }),
    ),
    probeDatabase(),
  ]);
  const ok = model.loaded && model.workersReady !== 0 && database.reachable;
  const status = !ok ? 'unavailable' : model.workersReady === model.workers ? 'ok' : 'degraded';
  const body: HealthResponse = { status, model, database };
  return jsonResponse(body, ok ? 200 : 503);
}

/** GET /api/v1/model: the model card (classes, preprocessing, tensors, metrics). */
export async function handleModel(): Promise<Response> {
  try {
    const service = await getInferenceService();
    return jsonResponse(service.card);
  } catch {
    return errorResponse(new ApiError(503, 'model_unavailable', 'The model is not available right now.', { 'Retry-After': '5' }));
  }
}

/** The document depends only on the schemas and the environment, both fixed once the server runs: built once. */
let openApiDocument: ReturnType<typeof buildOpenApiDocument> | null = null;

/** GET /api/v1/openapi.json */
export function handleOpenApi(): Response {
  openApiDocument ??= buildOpenApiDocument();
  return jsonResponse(openApiDocument);
}
