-- "Try again" on the upload page sends the same photo again when its answer
-- did not arrive; if the first request had been saved before the connection
-- dropped, that stored the prediction twice. Each photo card now carries a
-- random key, and a signed-in user's rows are unique by it. NULLs (API calls,
-- guests' kept uploads) never collide.
ALTER TABLE "Prediction" ADD COLUMN "uploadKey" TEXT;
CREATE UNIQUE INDEX "Prediction_userId_uploadKey_key" ON "Prediction"("userId", "uploadKey");
