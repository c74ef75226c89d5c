/**
 * @file Retention of guests' stored uploads (GUEST_RETENTION_DAYS): the
 * owner-less predictions older than the retention period are deleted when
 * the server starts and then periodically. Plain Node (no 'server-only'):
 * instrumentation.ts starts the schedule; the admin purge uses the same
 * deletes through lib/server/queries/admin.ts.
 */
import type { PrismaClient } from '~/lib/generated/prisma/client';

const DAY_MS = 86_400_000;

/** How often the running server purges, after the purge at start. */
export const GUEST_RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/** The oldest creation time a guest prediction may have at `now` and still be kept. */
export function guestRetentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * Deletes guests' predictions (no owner) created before `createdBefore`, or
 * all of them without it. Users' predictions are never touched. Returns how
 * many rows went.
 */
export async function purgeGuestPredictions(db: PrismaClient, { createdBefore }: { createdBefore?: Date } = {}): Promise<number> {
  const { count } = await db.prediction.deleteMany({
    where: { userId: null, ...(createdBefore ? { createdAt: { lt: createdBefore } } : {}) },
  });
  return count;
}

/**
 * The retention purge: guests' predictions older than `days` days at `now`.
 * With 0 days every guest prediction goes, so turning retention off also
 * clears what an earlier setting kept.
 */
export function purgeExpiredGuestPredictions(db: PrismaClient, now: Date, days: number): Promise<number> {
  return purgeGuestPredictions(db, { createdBefore: guestRetentionCutoff(now, days) });
}

export interface GuestRetentionSchedule {
  /** The purge run at start: how many rows it removed (0 when it failed; the failure is logged). */
  firstRun: Promise<number>;
  stop(): void;
}

/**
 * Purges now and then every `intervalMs`, logging how many rows each run
 * removed. The timer is unref'd: it never keeps a process alive. A failed
 * run (database down) is logged and retried at the next tick.
 */
export function startGuestRetention({
  getDb,
  days,
  intervalMs = GUEST_RETENTION_INTERVAL_MS,
  log,
}: {
  getDb: () => PrismaClient;
  days: number;
  intervalMs?: number;
  log: (line: string) => void;
}): GuestRetentionSchedule {
  const kept = days === 0 ? 'guest uploads are not kept' : `guest uploads are kept ${days} day(s)`;
  const run = async (): Promise<number> => {
    try {
      const removed = await purgeExpiredGuestPredictions(getDb(), new Date(), days);
      log(`guest retention: removed ${removed} guest prediction(s) (${kept})`);
      return removed;
    } catch (error) {
      log(`guest retention: the purge failed and will be retried: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  };
  const firstRun = run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return { firstRun, stop: () => clearInterval(timer) };
}
