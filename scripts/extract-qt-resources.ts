/**
 * tsx scripts/extract-qt-resources.ts BUNDLE OUT_DIR [PATH...]
 *
 * Writes files out of a Qt resource bundle (.rcc) into OUT_DIR, keeping their
 * paths: the listed ones (paths inside the bundle, `/a/b.webp`), or all of
 * them. Used by scripts/evaluate-outside.sh for packages that ship their
 * pictures only inside such bundles.
 */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { readQtResources, writeQtResources } from './lib/qt-resources';

const program = new Command('extract-qt-resources')
  .description('Write files out of a Qt resource bundle (.rcc)')
  .argument('<bundle>', '.rcc file')
  .argument('<outDir>', 'folder to write them into, paths kept')
  .argument('[paths...]', 'paths inside the bundle (default: every file)')
  .parse();

async function main() {
  const [bundlePath, outDir, ...wanted] = program.args as [string, string, ...string[]];
  const problems = await writeQtResources(readQtResources(await readFile(bundlePath)), outDir, wanted);
  for (const problem of problems) console.error(`${bundlePath}: ${problem}`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(`extract-qt-resources: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
