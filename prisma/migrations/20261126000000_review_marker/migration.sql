-- The review queue was a filter, not a queue: a misclassified or low-confidence
-- prediction stayed in it after an admin had confirmed or fixed its label, so
-- the queue only grew and what was done could not be told from what was not.
-- An admin's label now sets "reviewedAt", and the queue leaves reviewed items
-- out unless asked for them; new feedback from the user clears it again.
ALTER TABLE "Prediction" ADD COLUMN "reviewedAt" TIMESTAMPTZ(3);
