-- An admin's label in the review queue overwrote the owner's own feedback in
-- "correctLabel": the owner's history then showed the admin's label as theirs,
-- and what they had said was gone. "correctLabel" stays the label the accuracy
-- figures count (the owner's, or an admin's given since); "ownerLabel" is what
-- the owner said, which only the owner changes. Filled from the rows that no
-- admin has labelled since the owner's last feedback (an admin's label always
-- sets "reviewedAt", the owner's clears it); where one has, the owner's label
-- was overwritten and is not known (the owner sees "No feedback" there).
ALTER TABLE "Prediction" ADD COLUMN "ownerLabel" "Label";
UPDATE "Prediction" SET "ownerLabel" = "correctLabel"
WHERE "userId" IS NOT NULL AND "reviewedAt" IS NULL AND "correctLabel" IS NOT NULL;
-- The owner's word is always counted when given, so it never stands alone; and
-- a guest's kept upload has no owner to give one.
ALTER TABLE "Prediction"
    ADD CONSTRAINT "Prediction_ownerLabel_counted_check" CHECK ("ownerLabel" IS NULL OR "correctLabel" IS NOT NULL),
    ADD CONSTRAINT "Prediction_ownerLabel_owner_check" CHECK ("ownerLabel" IS NULL OR "userId" IS NOT NULL);
