/**
 * `npm start` rebuilds when what `next build` read has changed: the sources,
 * and the settings next.config.ts bakes into the build (NEXTAUTH_URL's scheme
 * decides the https security headers in the routes manifest).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildSettings, sourceHash } from '~/scripts/lib/build-hash';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'petlens-build-hash-'));
  await writeFile(path.join(root, 'next.config.ts'), 'export default {};\n');
});

afterEach(() => rm(root, { recursive: true, force: true }));

it('changes with the sources', async () => {
  const before = await sourceHash(root, buildSettings({}));
  expect(await sourceHash(root, buildSettings({}))).toBe(before);
  await writeFile(path.join(root, 'proxy.ts'), 'export {};\n');
  expect(await sourceHash(root, buildSettings({}))).not.toBe(before);
});

it('changes between an http and an https NEXTAUTH_URL, not between two of one scheme', async () => {
  const http = await sourceHash(root, buildSettings({ NEXTAUTH_URL: 'http://localhost:3000' }));
  expect(await sourceHash(root, buildSettings({}))).toBe(http);
  expect(await sourceHash(root, buildSettings({ NEXTAUTH_URL: 'http://192.168.1.20:3000' }))).toBe(http);
  const https = await sourceHash(root, buildSettings({ NEXTAUTH_URL: 'https://pets.example' }));
  expect(https).not.toBe(http);
  expect(await sourceHash(root, buildSettings({ NEXTAUTH_URL: 'https://other.example' }))).toBe(https);
});
