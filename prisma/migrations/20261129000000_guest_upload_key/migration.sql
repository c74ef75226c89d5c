-- A guest's kept upload (GUEST_RETENTION_DAYS > 0) sent again with "Try again"
-- after its answer was lost was stored twice: the unique index on
-- ("userId", "uploadKey") never matches rows whose userId is NULL. Both copies
-- then reached the admin's review queue and, labelled, counted one photo twice
-- in the accuracy figures. Guests' rows are unique by the key alone (128
-- random bits per photo card). Partial, so Prisma's schema cannot say it.
CREATE UNIQUE INDEX "Prediction_guest_uploadKey_key" ON "Prediction"("uploadKey") WHERE "userId" IS NULL;
