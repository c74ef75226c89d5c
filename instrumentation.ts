/**
 * Next.js calls register() once when a server process starts. Starting the
 * inference workers here (rather than on the first request) warms the model
 * before traffic arrives and logs the execution provider, with the reason
 * when CUDA was asked for and is not used.
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is set by Next itself, not configuration; the edge runtime cannot run workers.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getInferenceService } = await import('./lib/serving/app-service');
  try {
    await getInferenceService();
  } catch (error) {
    // Serve anyway: /api/v1/health reports the reason and requests retry the start.
    console.error(`[petlens] the classifier could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}
