/**
 * @file Stores and reads offline evaluation runs. Plain Node (no Next, no
 * 'server-only'): `npm run evaluate -- --record` writes through
 * recordEvaluationRun with its own client; the dashboard reads through
 * lib/server/queries/admin.ts with the app's.
 */
import type { PrismaClient } from '~/lib/generated/prisma/client';
import type { EvaluationMetrics } from '~/lib/ml/metrics';

export interface NewEvaluationRun {
  modelName: string;
  modelVersion: string;
  datasetName: string;
  metrics: EvaluationMetrics;
}

/** Records one evaluation; returns its id and time. */
export function recordEvaluationRun(db: PrismaClient, run: NewEvaluationRun): Promise<{ id: string; createdAt: Date }> {
  const { metrics } = run;
  return db.evaluationRun.create({
    data: {
      modelName: run.modelName,
      modelVersion: run.modelVersion,
      datasetName: run.datasetName,
      n: metrics.n,
      accuracy: metrics.accuracy,
      // Plain JSON copies: Prisma's Json input type wants an index signature.
      perClass: JSON.parse(JSON.stringify(metrics.perClass)) as Record<string, Record<string, number | null>>,
      confusion: JSON.parse(JSON.stringify(metrics.confusion)) as Record<string, Record<string, number>>,
      ece: metrics.ece,
      eceBins: metrics.eceBins,
    },
    select: { id: true, createdAt: true },
  });
}
