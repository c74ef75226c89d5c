-- Signing out ends the session on the server too. Sessions are next-auth JWTs,
-- so signing out only dropped the browser's cookie: a copy of the token stayed
-- valid. Each token now carries the random id of its sign-in ("sid"), and
-- sign-out records it here until the sign-in's absolute lifetime ends
-- (lib/server/auth.ts); every request refuses a token whose sid is here.

-- CreateTable
CREATE TABLE "EndedSession" (
    "sid" UUID NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "EndedSession_pkey" PRIMARY KEY ("sid")
);

-- CreateIndex: deleting the rows whose sign-in has expired anyway
CREATE INDEX "EndedSession_endsAt_idx" ON "EndedSession"("endsAt");
