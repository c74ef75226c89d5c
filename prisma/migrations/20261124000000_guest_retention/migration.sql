-- Guest retention (issue 6, GUEST_RETENTION_DAYS > 0): a guest's web upload
-- may be kept for admin review as a prediction with no owner. The foreign key
-- and its ON DELETE CASCADE from "User" stay as they are; a NULL "userId"
-- simply references nobody.
--
-- The retention purge deletes by "userId" IS NULL AND "createdAt" < cutoff,
-- which the existing ("userId", "createdAt" DESC) index already serves
-- (B-tree indexes hold NULLs), so no new index is needed.
ALTER TABLE "Prediction" ALTER COLUMN "userId" DROP NOT NULL;
