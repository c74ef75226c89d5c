export default async function globalTeardown(): Promise<void> {
  await globalThis.__PETLENS_TEST_DB__?.stop();
  globalThis.__PETLENS_TEST_DB__ = undefined;
}
