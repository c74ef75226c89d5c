/** @jest-config-loader esbuild-register */
/**
 * The end-to-end suite: builds (if stale) and starts the production server
 * through `npm start`'s launcher against its own embedded PostgreSQL, then
 * drives Debian's Chromium with playwright-core.
 */
import type { Config } from 'jest';
import nextJest from 'next/jest.js';

const createJestConfig = nextJest({ dir: './' });

export default async function config(): Promise<Config> {
  const resolved = await createJestConfig({
    displayName: 'e2e',
    testEnvironment: '<rootDir>/tests/support/node-environment.ts',
    roots: ['<rootDir>/tests/e2e'],
    testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
    moduleNameMapper: { '^~/(.*)$': '<rootDir>/$1' },
    testTimeout: 240_000,
  })();
  // One server, one browser: the files run one after another.
  return { ...resolved, maxWorkers: 1 };
}
