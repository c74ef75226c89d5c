/** @jest-config-loader esbuild-register */
/**
 * Jest through next/jest (SWC transform, next.config and .env loading).
 *
 * Projects:
 *  - unit: tests/ml, tests/cli, tests/unit: no database;
 *  - app:  tests/app and tests/api: one embedded PostgreSQL for the whole
 *          run (global setup/teardown), the real model and worker pool,
 *          server actions, queries and the REST API's route handlers.
 * The browser suite has its own config: jest.e2e.config.ts.
 */
import type { Config } from 'jest';
import nextJest from 'next/jest.js';

const createJestConfig = nextJest({ dir: './' });

const base: Config = {
  testEnvironment: '<rootDir>/tests/support/node-environment.ts',
  clearMocks: true,
  roots: ['<rootDir>/tests'],
  moduleNameMapper: {
    '^server-only$': '<rootDir>/tests/support/empty-module.ts',
    '^~/(.*)$': '<rootDir>/$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/.next/', '<rootDir>/tests/e2e/'],
};

export default async function config(): Promise<Config> {
  const resolved = await createJestConfig(base)();
  // next/jest returns one flat config; split it into projects that share its transform.
  const { testTimeout, ...project } = resolved;
  return {
    testTimeout: testTimeout ?? 30_000,
    // One test file at a time, on any machine: the app project's files share
    // one PostgreSQL, and some assert table-wide facts (guest purges, admin
    // counts, "the last admin") that a file running beside them would break.
    // On the 2-core machines this project runs on, Jest's default was one
    // worker already.
    maxWorkers: 1,
    projects: [
      { ...project, displayName: 'unit', testMatch: ['<rootDir>/tests/{ml,cli,unit}/**/*.test.ts'] },
      {
        ...project,
        displayName: 'app',
        testMatch: ['<rootDir>/tests/{app,api}/**/*.test.ts'],
        globalSetup: '<rootDir>/tests/app/global-setup.ts',
        globalTeardown: '<rootDir>/tests/app/global-teardown.ts',
      },
    ],
  };
}
