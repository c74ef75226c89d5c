/**
 * npm run model:metrics [-- --data DIR]
 *
 * Evaluates the committed model on the fixed test split
 * (training/splits/test.txt) through the TypeScript serving code and writes
 * the figures into the model card's `metrics.test`. Run by `npm run train`
 * after the Python step: these, not PyTorch's, are the figures that count.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { Classifier } from '~/lib/ml/classifier';
import { DATA_DIGEST_ALGORITHM, dataDigest } from '~/lib/ml/data-digest';
import { listDatasetFromFile } from '~/lib/ml/dataset';
import { DEFAULT_MODEL_CARD, TEST_SPLIT } from '~/lib/ml/defaults';
import { acceptanceFailures, acceptanceFigures, evaluateFiles, groupBySource } from '~/lib/ml/evaluate';
import { computeMetrics } from '~/lib/ml/metrics';

const program = new Command('write-model-metrics')
  .option('--data <dir>', 'the shared data folder', path.join('..', 'shared', 'data'))
  .option('--model <card>', 'model card JSON', DEFAULT_MODEL_CARD)
  .parse();

const round = (x: number) => Number(x.toFixed(4));

async function main() {
  const options = program.opts<{ data: string; model: string }>();
  const listing = await listDatasetFromFile(options.data, TEST_SPLIT);
  // Every line of the test list must be measured: a dropped one would shrink n while the card still names the list.
  const dropped = [
    ...listing.unlabeled.map((file) => `${file} (no label folder)`),
    ...listing.unreadableEntries.map((entry) => `${entry.relativePath} (${entry.reason})`),
    ...listing.repeatedLines.map((line) => `${line} (listed twice)`),
  ];
  if (dropped.length > 0) throw new Error(`${dropped.length} lines of ${TEST_SPLIT} cannot be measured: ${dropped.slice(0, 3).join(', ')}`);
  const classifier = await Classifier.load({ cardPath: options.model });
  // The digest reads the files on the side while the classifier is busy with them.
  const [result, testDigest] = await Promise.all([evaluateFiles(classifier, listing.files), dataDigest(listing.files)]);
  await classifier.dispose();
  if (result.failures.length > 0) throw new Error(`${result.failures.length} test images could not be read: ${result.failures[0]!.relativePath}: ${result.failures[0]!.reason}`);

  const bySource = Object.fromEntries(
    [...groupBySource(result.rows)].map(([source, rows]) => {
      const m = computeMetrics(rows);
      return [source, { n: m.n, accuracy: round(m.accuracy), perClass: m.perClass, confusion: m.confusion }];
    }),
  );
  const figures = acceptanceFigures(result.rows);
  const card = JSON.parse(await readFile(options.model, 'utf8')) as { metrics: Record<string, unknown> };
  card.metrics.test = {
    split: TEST_SPLIT,
    // The photos these figures come from, by name and bytes: a later measurement on other bytes is not a reproduction.
    dataDigest: { algorithm: DATA_DIGEST_ALGORITHM, test: testDigest },
    computedBy: 'npm run model:metrics (TypeScript: sharp + onnxruntime-node, the serving code)',
    ...result.metrics,
    accuracy: round(result.metrics.accuracy),
    ece: round(result.metrics.ece),
    acceptance: Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, round(v)])),
    bySource,
  };
  await writeFile(options.model, `${JSON.stringify(card, null, 2)}\n`);
  console.log(`test split: ${result.metrics.n} images, accuracy ${(result.metrics.accuracy * 100).toFixed(2)}%`);
  console.log(JSON.stringify(figures));
  const failures = acceptanceFailures(figures);
  if (failures.length > 0) console.warn(`below the acceptance thresholds:\n  ${failures.join('\n  ')}`);
}

main().catch((error: unknown) => {
  console.error(`write-model-metrics: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
