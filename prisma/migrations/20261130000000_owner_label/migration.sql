-- An admin's label in the review queue overwrote the owner's own feedback in
-- "correctLabel": the owner's history then showed the admin's label as theirs,
-- and what they had said was gone. "correctLabel" stays the label the accuracy
-- figures count (the owner's, or an admin's given since); "ownerLabel" is what
-- the owner said, which only the owner changes. Filled from the rows whose
-- label the owner gave last: no admin has labelled them since the owner's last
-- word (an admin's label sets "reviewedAt", a different label from the owner
-- clears it), or the owner gave that same label again after the admin's (which
-- moved "feedbackAt" past "reviewedAt", the two being equal when an admin sets
-- them). Elsewhere the owner's label was overwritten and is not known: the
-- owner sees "No feedback" there. One case cannot be told apart: an admin's
-- label set before "reviewedAt" existed (20261126000000_review_marker) has none,
-- and is filled in as the owner's.
ALTER TABLE "Prediction" ADD COLUMN "ownerLabel" "Label";
UPDATE "Prediction" SET "ownerLabel" = "correctLabel"
WHERE "userId" IS NOT NULL AND "correctLabel" IS NOT NULL AND ("reviewedAt" IS NULL OR "feedbackAt" > "reviewedAt");
-- The owner's word is always counted when given, so it never stands alone; and
-- a guest's kept upload has no owner to give one.
ALTER TABLE "Prediction"
    ADD CONSTRAINT "Prediction_ownerLabel_counted_check" CHECK ("ownerLabel" IS NULL OR "correctLabel" IS NOT NULL),
    ADD CONSTRAINT "Prediction_ownerLabel_owner_check" CHECK ("ownerLabel" IS NULL OR "userId" IS NOT NULL);
