import { ADMIN } from '~/lib/config';
import { csvRow } from '~/lib/csv';
import { appErrorResponse, logServerError } from '~/lib/errors';
import { checkAdmin, checkForRoute } from '~/lib/server/auth';
import { iteratePredictionsForExport, type ExportRow } from '~/lib/server/queries/admin';
import { adminFilterQuerySchema, toAdminFilters } from '~/lib/validations/admin';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const HEADER = [
  'prediction_id',
  'created_at',
  'user_id',
  'model_name',
  'model_version',
  'execution_provider',
  'predicted_label',
  'confidence',
  'p_cat',
  'p_dog',
  'p_neither',
  'latency_ms',
  'confirmed_label',
  'feedback_at',
  'correct',
  // What the owner said; confirmed_label differs from it where an admin has labelled the prediction since.
  'owner_label',
  // When an admin set or confirmed confirmed_label (feedback_at is then that time too); empty where the owner's word
  // is the one counted. Last, so that the columns before it keep their places for existing readers.
  'reviewed_at',
] as const;

/**
 * GET /admin/export.csv[?from=YYYY-MM-DD&to=YYYY-MM-DD&model=NAME@VERSION]:
 * every prediction (the dashboard's filters apply) with its feedback, no
 * images, oldest first. Streamed in keyset-paginated batches so memory stays
 * flat. Guests get 401, signed-in non-admins 403, 503 while the role
 * cannot be checked (the database is unreachable), and 500 when the session
 * cannot be read at all; JSON.
 */
export async function GET(request: Request) {
  const admin = await checkForRoute(checkAdmin);
  if (admin.status !== 'ok') return appErrorResponse(admin.status);
  const url = new URL(request.url);
  const query = adminFilterQuerySchema.parse({ from: url.searchParams.get('from') ?? undefined, to: url.searchParams.get('to') ?? undefined, model: url.searchParams.get('model') ?? undefined });
  const batches = iteratePredictionsForExport(toAdminFilters(query), ADMIN.exportBatchSize);
  const encoder = new TextEncoder();
  // The first batch is read before answering: a database that fails at once
  // gets a 503 rather than a 200 with a header row and then a broken download.
  let pending: IteratorResult<ExportRow[]> | null;
  try {
    pending = await batches.next();
  } catch (error) {
    logServerError('CSV export', error);
    return appErrorResponse('unavailable');
  }

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvRow(HEADER)));
    },
    // Pull-based: the next batch is read only when the client has taken the last one.
    async pull(controller) {
      try {
        const next = pending ?? (await batches.next());
        pending = null;
        if (next.done) {
          controller.close();
          return;
        }
        const chunk = next.value
          .map((row) =>
            csvRow([
              row.id,
              row.createdAt,
              row.userId,
              row.modelName,
              row.modelVersion,
              row.executionProvider,
              row.label,
              row.confidence,
              row.pCat,
              row.pDog,
              row.pNeither,
              row.latencyMs,
              row.correctLabel,
              row.feedbackAt,
              row.correctLabel === null ? null : row.correctLabel === row.label,
              row.ownerLabel,
              row.reviewedAt,
            ]),
          )
          .join('');
        controller.enqueue(encoder.encode(chunk));
      } catch (error) {
        logServerError('CSV export', error);
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });

  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="petlens-predictions-${stamp}.csv"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
