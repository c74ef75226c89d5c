/**
 * tsx scripts/extract-qt-resources.ts BUNDLE OUT_DIR [PATH...]
 *
 * Writes files out of a Qt resource bundle (.rcc) into OUT_DIR, keeping their
 * paths: the listed ones (paths inside the bundle, `/a/b.webp`), or all of
 * them. Used by scripts/evaluate-outside.sh for packages that ship their
 * pictures only inside such bundles.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { readQtResources } from './lib/qt-resources';

const program = new Command('extract-qt-resources')
  .description('Write files out of a Qt resource bundle (.rcc)')
  .argument('<bundle>', '.rcc file')
  .argument('<outDir>', 'folder to write them into, paths kept')
  .argument('[paths...]', 'paths inside the bundle (default: every file)')
  .parse();

async function main() {
  const [bundlePath, outDir, ...wanted] = program.args as [string, string, ...string[]];
  const files = readQtResources(await readFile(bundlePath));
  const paths = wanted.length > 0 ? wanted : [...files.keys()];
  let missing = 0;
  for (const path of paths) {
    const bytes = files.get(path);
    if (!bytes) {
      console.error(`${bundlePath}: no ${path} inside`);
      missing++;
      continue;
    }
    const target = join(outDir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
  }
  process.exitCode = missing > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(`extract-qt-resources: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
