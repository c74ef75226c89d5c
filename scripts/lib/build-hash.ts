/**
 * @file Decides whether the production build in .next is current: a hash of
 * everything `next build` reads (the sources, and the settings next.config.ts
 * bakes into the build), stored beside the build.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { servedOverHttps } from '~/lib/security-headers';

const INPUTS = ['app', 'components', 'lib', 'types', 'public', 'next.config.ts', 'proxy.ts', 'instrumentation.ts', 'postcss.config.mjs', 'tsconfig.json', 'package-lock.json', 'prisma/schema.prisma'];
const SKIP = new Set(['lib/generated']);
export const BUILD_DIR = '.next';
const HASH_FILE = path.join(BUILD_DIR, 'petlens-source-hash');

async function listFiles(root: string, entry: string): Promise<string[]> {
  const full = path.join(root, entry);
  if (!existsSync(full) || SKIP.has(entry)) return [];
  const entries = await readdir(full, { withFileTypes: true }).catch(() => null);
  if (!entries) return [entry];
  const nested = await Promise.all(entries.map((e) => listFiles(root, path.posix.join(entry, e.name))));
  return nested.flat();
}

/**
 * Settings that `next build` fixes in the build. next.config.ts's headers()
 * are written into the routes manifest, and their https extras
 * (upgrade-insecure-requests, HSTS) follow NEXTAUTH_URL's scheme: a build made
 * for http must not serve an https site, nor the other way round.
 * (serverActions.bodySizeLimit, from MAX_UPLOAD_BYTES, is read again when the
 * server starts, so it is not one of them.)
 */
export function buildSettings(environment: { NEXTAUTH_URL?: string }): Record<string, string> {
  return { https: String(servedOverHttps(environment.NEXTAUTH_URL)) };
}

export async function sourceHash(root: string, settings: Record<string, string>): Promise<string> {
  const files = (await Promise.all(INPUTS.map((input) => listFiles(root, input)))).flat().sort();
  const hash = createHash('sha256');
  hash.update(JSON.stringify(Object.entries(settings).sort())).update('\0');
  for (const file of files) {
    hash.update(file).update('\0').update(await readFile(path.join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

/** True when .next holds a finished build of exactly the current sources. */
export async function buildIsCurrent(hash: string, root = process.cwd()): Promise<boolean> {
  if (!existsSync(path.join(root, BUILD_DIR, 'BUILD_ID'))) return false;
  const stored = await readFile(path.join(root, HASH_FILE), 'utf8').catch(() => '');
  return stored.trim() === hash;
}

/** Records the hash taken *before* the build, so edits made during it count as stale. */
export async function recordBuild(hash: string, root = process.cwd()): Promise<void> {
  await writeFile(path.join(root, HASH_FILE), `${hash}\n`);
}
