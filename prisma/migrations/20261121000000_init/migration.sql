-- CreateEnum
CREATE TYPE "Role" AS ENUM ('user', 'admin');

-- CreateEnum
CREATE TYPE "Label" AS ENUM ('cat', 'dog', 'neither');

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'user',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Prediction" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "label" "Label" NOT NULL,
    "confidence" REAL NOT NULL,
    "pCat" REAL NOT NULL,
    "pDog" REAL NOT NULL,
    "pNeither" REAL NOT NULL,
    "modelName" TEXT NOT NULL,
    "modelVersion" TEXT NOT NULL,
    "executionProvider" TEXT NOT NULL,
    "latencyMs" REAL NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "thumbnail" BYTEA NOT NULL,
    "thumbnailWidth" INTEGER NOT NULL,
    "thumbnailHeight" INTEGER NOT NULL,
    "correctLabel" "Label",
    "feedbackAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Prediction_pkey" PRIMARY KEY ("id"),
    -- Not expressible in schema.prisma; the database guards the invariants itself.
    CONSTRAINT "Prediction_probabilities_check" CHECK (
        "confidence" BETWEEN 0 AND 1 AND "pCat" BETWEEN 0 AND 1 AND "pDog" BETWEEN 0 AND 1 AND "pNeither" BETWEEN 0 AND 1
    ),
    CONSTRAINT "Prediction_feedback_check" CHECK (("correctLabel" IS NULL) = ("feedbackAt" IS NULL))
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex: a user's history, newest first
CREATE INDEX "Prediction_userId_createdAt_idx" ON "Prediction"("userId", "createdAt" DESC);

-- CreateIndex: history filtered by predicted label
CREATE INDEX "Prediction_userId_label_createdAt_idx" ON "Prediction"("userId", "label", "createdAt" DESC);

-- CreateIndex: admin aggregation by date range
CREATE INDEX "Prediction_createdAt_idx" ON "Prediction"("createdAt");

-- CreateIndex: admin aggregation per model version
CREATE INDEX "Prediction_modelVersion_createdAt_idx" ON "Prediction"("modelVersion", "createdAt");

-- CreateIndex: confusion matrix (predicted x confirmed) over predictions with feedback
CREATE INDEX "Prediction_correctLabel_label_idx" ON "Prediction"("correctLabel", "label");

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
