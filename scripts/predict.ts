/**
 * npm run predict -- [--json] [--model CARD] FILE...
 *
 * Prints the label and the probability of each class for every image; with
 * --json one JSON object per image per line. A file that cannot be read gets
 * an error line and the others go on; the exit code is 1 if any failed, 2 for
 * a command line it cannot run. Relative paths are from the folder the command
 * was typed in, not the project root that `npm run` starts in.
 */
import { Command } from 'commander';
import { Classifier } from '~/lib/ml/classifier';
import { DEFAULT_MODEL_CARD } from '~/lib/ml/defaults';
import { readImageFile } from '~/lib/ml/image-file';
import { exitQuietlyWhenStdoutCloses, exitTwoOnUsageErrors, parseDevice, reportCpuFallback, resolveUserPath } from './cli-options';

exitQuietlyWhenStdoutCloses();
const program = exitTwoOnUsageErrors(new Command('predict'))
  .description('Classify images as cat, dog or neither')
  .argument('<files...>', 'image files')
  .option('--json', 'one JSON object per image per line')
  .option('--model <card>', 'model card JSON', resolveUserPath, DEFAULT_MODEL_CARD)
  .option('--device <device>', 'auto | cuda | cpu', parseDevice, 'cpu')
  .parse();

async function main() {
  const options = program.opts<{ json?: boolean; model: string; device: 'auto' | 'cuda' | 'cpu' }>();
  const classifier = await Classifier.load({ cardPath: options.model, device: options.device });
  reportCpuFallback('predict', classifier);
  try {
    for (const file of program.args) {
      try {
        // Printed as typed, read from the folder it was typed in.
        const result = await classifier.classify(await readImageFile(resolveUserPath(file)));
        const ms = result.timings.decodeMs + result.timings.inferenceMs;
        if (options.json) {
          const { label, confidence, probabilities, image } = result;
          console.log(JSON.stringify({ file, label, confidence, probabilities, image, ms: Number(ms.toFixed(2)) }));
        } else {
          const probs = classifier.card.classes.map((c) => `${c} ${(result.probabilities[c] * 100).toFixed(1)}%`).join('  ');
          console.log(`${file}: ${result.label}  (${probs})  ${ms.toFixed(1)} ms`);
        }
      } catch (error) {
        // Set at the failure, not after the loop: output cut short (| head) exits with what happened so far.
        process.exitCode = 1;
        const reason = error instanceof Error ? error.message : String(error);
        if (options.json) console.log(JSON.stringify({ file, error: reason }));
        else console.error(`${file}: error: ${reason}`);
      }
    }
  } finally {
    await classifier.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(`predict: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
});
