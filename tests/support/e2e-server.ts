/**
 * Starts the production build through `npm start`'s launcher
 * (scripts/start.ts: builds when stale, embedded PostgreSQL in a throwaway
 * folder) for an e2e file, and stops it again (checking that the launcher
 * stopped its PostgreSQL).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startProductionServer, type ProductionServer } from '~/scripts/lib/production-server';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's Chromium, headless (playwright-core never downloads a browser); refuses at once, with the fix, where it is missing. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

export type E2eServer = Pick<ProductionServer, 'baseUrl' | 'pid' | 'dataDir' | 'logFile' | 'stop'>;

export function startE2eServer(name: string, extraEnv: Record<string, string> = {}, timeoutMs = 200_000): Promise<E2eServer> {
  return startProductionServer({ name: `e2e-${name}`, env: extraEnv, timeoutMs });
}
