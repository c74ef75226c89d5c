import 'server-only';

import { getDb } from '~/lib/server/db';

/**
 * Records a signed-out sign-in (lib/server/auth.ts refuses its tokens from
 * then on) until `endsAt`, when its tokens expire anyway, and deletes the
 * rows whose time has passed, so the table holds only sign-outs of the last
 * session lifetime. Signing out twice records it once.
 */
export async function recordEndedSession({ sid, endsAt }: { sid: string; endsAt: Date }): Promise<void> {
  const db = getDb();
  await db.$transaction([
    db.endedSession.deleteMany({ where: { endsAt: { lte: new Date() } } }),
    db.endedSession.createMany({ data: [{ sid, endsAt }], skipDuplicates: true }),
  ]);
}
