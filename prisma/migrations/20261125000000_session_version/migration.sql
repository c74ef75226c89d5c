-- Ending sessions: sessions are stateless JWTs, so a password change could not
-- end the sessions already open on other devices. Each token now carries the
-- account's "sessionVersion" from sign-in, and every request compares it with
-- the stored value (lib/server/auth.ts). Raising the value ends every session
-- that carries an older one. Existing tokens carry none, which counts as 0:
-- they stay valid until the first change.
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
