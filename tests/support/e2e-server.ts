/**
 * Starts the production build through `npm start`'s launcher
 * (scripts/start.ts: builds when stale, embedded PostgreSQL in a throwaway
 * folder) for an e2e file, and stops it again (checking that the launcher
 * stopped its PostgreSQL).
 */
import { startProductionServer, type ProductionServer } from '~/scripts/lib/production-server';

export { launchChromium } from '~/scripts/lib/chromium';

export type E2eServer = Pick<ProductionServer, 'baseUrl' | 'pid' | 'dataDir' | 'logFile' | 'stop' | 'exited'>;

export function startE2eServer(name: string, extraEnv: Record<string, string> = {}, timeoutMs = 200_000): Promise<E2eServer> {
  return startProductionServer({ name: `e2e-${name}`, env: extraEnv, timeoutMs });
}
