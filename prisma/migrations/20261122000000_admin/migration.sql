-- CreateTable: offline evaluation runs (npm run evaluate -- --record)
CREATE TABLE "EvaluationRun" (
    "id" UUID NOT NULL,
    "modelName" TEXT NOT NULL,
    "modelVersion" TEXT NOT NULL,
    "datasetName" TEXT NOT NULL,
    "n" INTEGER NOT NULL,
    "accuracy" DOUBLE PRECISION NOT NULL,
    "perClass" JSONB NOT NULL,
    "confusion" JSONB NOT NULL,
    "ece" DOUBLE PRECISION NOT NULL,
    "eceBins" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvaluationRun_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "EvaluationRun_values_check" CHECK ("n" >= 0 AND "accuracy" BETWEEN 0 AND 1 AND "ece" >= 0 AND "eceBins" > 0)
);

-- CreateIndex: the dashboard lists the newest runs
CREATE INDEX "EvaluationRun_createdAt_idx" ON "EvaluationRun"("createdAt" DESC);

-- CreateIndex: runs of one model version
CREATE INDEX "EvaluationRun_modelVersion_createdAt_idx" ON "EvaluationRun"("modelVersion", "createdAt" DESC);

-- CreateIndex: the admin dashboard aggregates only predictions with feedback.
-- This partial index carries every column those aggregates read, so they are
-- index-only scans of a narrow index instead of scans of the whole table
-- (whose rows also hold thumbnails and hashes).
CREATE INDEX "Prediction_feedback_createdAt_idx" ON "Prediction"("createdAt")
    INCLUDE ("label", "correctLabel", "confidence", "modelVersion")
    WHERE "correctLabel" IS NOT NULL;

-- CreateIndex: the same for all predictions in a date range (confidence
-- histogram, counts with and without feedback, per model version). It also
-- serves everything the plain createdAt index did (review queue order, the
-- export's keyset pages), so that one goes.
CREATE INDEX "Prediction_createdAt_covering_idx" ON "Prediction"("createdAt")
    INCLUDE ("label", "correctLabel", "confidence", "modelName", "modelVersion");
DROP INDEX "Prediction_createdAt_idx";
