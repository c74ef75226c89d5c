/**
 * Next.js calls register() once when a server process starts. Starting the
 * inference workers here (rather than on the first request) warms the model
 * before traffic arrives and logs the execution provider, with the reason
 * when CUDA was asked for and is not used. The guest-retention purge is
 * scheduled here for the same reason it belongs to no request: once per
 * server process, at start and then hourly.
 */
const globalForRetention = globalThis as unknown as { petlensGuestRetention?: true };

export async function register(): Promise<void> {
  // NEXT_RUNTIME is set by Next itself, not configuration; the edge runtime cannot run workers.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ env }, { getDb }, { startGuestRetention }, { getInferenceService }] = await Promise.all([
    import('./lib/env'),
    import('./lib/db/app-client'),
    import('./lib/db/guest-retention'),
    import('./lib/serving/app-service'),
  ]);
  // Without a database (a bare `next start`) there is nothing to purge; dev reloads must not stack timers.
  if (env.DATABASE_URL && !globalForRetention.petlensGuestRetention) {
    globalForRetention.petlensGuestRetention = true;
    startGuestRetention({ getDb, days: env.GUEST_RETENTION_DAYS, log: (line) => console.log(`[petlens] ${line}`) });
  }
  try {
    await getInferenceService();
  } catch (error) {
    // Serve anyway: /api/v1/health reports the reason and requests retry the start.
    console.error(`[petlens] the classifier could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}
