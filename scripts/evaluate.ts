/**
 * npm run evaluate -- --data DIR [--files LIST] [--json] [--min-accuracy X] [--by-source]
 *                      [--record [--dataset-name NAME]]
 *
 * Classifies every image under DIR (any depth), labelled by its nearest
 * cat(s) / dog(s) / other|neither ancestor folder (DIR itself included, not
 * the folders above it), and prints accuracy, per-class precision / recall /
 * F1 / support, the confusion matrix and the expected calibration error.
 * Exits 1 when accuracy < --min-accuracy, 2 when nothing could be classified,
 * 3 when accuracy meets --min-accuracy but some files or folders could not be
 * read (a gate must not pass on photos it never saw), 4 when --record could not
 * store a run that was otherwise fine (the report is printed all the same); a
 * command line it cannot run (a missing --data, --min-accuracy 98) exits 2 as well.
 * Relative paths are from the folder the command was typed in, not the project
 * root that `npm run` starts in.
 *
 * --record stores the run (model, dataset name, n, accuracy, per-class
 * metrics, confusion, ECE) in PostgreSQL for the admin dashboard: in
 * DATABASE_URL, or else in `npm start`'s embedded database (connecting to it
 * when it runs, else starting it for the write; lib/db/cli-database.ts).
 */
import { Command } from 'commander';
import path from 'node:path';
import { Classifier } from '~/lib/ml/classifier';
import { listDataset, listDatasetFromFile } from '~/lib/ml/dataset';
import { DEFAULT_MODEL_CARD } from '~/lib/ml/defaults';
import { evaluateFiles, groupBySource } from '~/lib/ml/evaluate';
import { computeMetrics, type EvaluationMetrics } from '~/lib/ml/metrics';
import { LABELS } from '~/lib/ml/model-card';
import { terminalProgress } from './lib/terminal-progress';
import { exitQuietlyWhenStdoutCloses, exitTwoOnUsageErrors, parseDevice, parseFraction, parsePositiveIntUpTo, reportCpuFallback, resolveUserPath } from './cli-options';

exitQuietlyWhenStdoutCloses();
const program = exitTwoOnUsageErrors(new Command('evaluate'))
  .description('Measure the classifier on a folder of labelled images')
  .requiredOption('--data <dir>', 'folder of images; labels come from cat(s)/dog(s)/other|neither ancestor folders (this one included)', resolveUserPath)
  .option('--files <list>', 'only the images listed in this file (paths relative to --data), e.g. training/splits/test.txt', resolveUserPath)
  .option('--json', 'print exactly one JSON object')
  .option('--min-accuracy <x>', 'exit 1 if accuracy is below this fraction (0-1), 3 if it is not but some files were not read', parseFraction)
  .option('--by-source', 'also report each source folder (first two path levels) separately')
  .option('--model <card>', 'model card JSON', resolveUserPath, DEFAULT_MODEL_CARD)
  .option('--device <device>', 'auto | cuda | cpu', parseDevice, 'cpu')
  .option('--concurrency <n>', 'images decoded at once (at most 64)', parsePositiveIntUpTo(64), 4)
  .option('--record', 'store the run in PostgreSQL for the admin dashboard (DATABASE_URL, else the embedded database of npm start)')
  .option('--dataset-name <name>', 'the name the run is stored under (default: the --data folder name, plus the --files list)')
  .parse();

interface Options {
  data: string;
  files?: string;
  json?: boolean;
  minAccuracy?: number;
  bySource?: boolean;
  model: string;
  device: 'auto' | 'cuda' | 'cpu';
  concurrency: number;
  record?: boolean;
  datasetName?: string;
}

/** Stores the run; returns its id. */
async function record(options: Options, model: { name: string; version: string }, metrics: EvaluationMetrics): Promise<string> {
  // Loaded only for --record: the database modules validate the app's whole environment (lib/env) when they load,
  // and a setting that only the server uses (a short NEXTAUTH_SECRET, say) must not stop an evaluation that stores nothing.
  const [{ openCliDatabase }, { createPrismaClient }, { recordEvaluationRun }] = await Promise.all([
    import('~/lib/db/cli-database'),
    import('~/lib/db/client'),
    import('~/lib/db/evaluation-runs'),
  ]);
  const datasetName = options.datasetName ?? `${path.basename(path.resolve(options.data))}${options.files ? `:${path.basename(options.files)}` : ''}`;
  const database = await openCliDatabase((line) => console.error(`[evaluate] ${line}`));
  const db = createPrismaClient(database.url, { max: 1 });
  try {
    const run = await recordEvaluationRun(db, { modelName: model.name, modelVersion: model.version, datasetName, metrics });
    return run.id;
  } finally {
    await db.$disconnect();
    await database.close();
  }
}

// n/a: a ratio with nothing to divide by (see lib/ml/metrics).
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);

function formatMetrics(m: EvaluationMetrics): string {
  const lines = [`images ${m.n}   accuracy ${pct(m.accuracy)}   ECE ${m.ece.toFixed(4)} (${m.eceBins} bins)`, ''];
  lines.push(`${'class'.padEnd(9)}${'precision'.padStart(11)}${'recall'.padStart(9)}${'F1'.padStart(9)}${'support'.padStart(9)}`);
  for (const label of LABELS) {
    const c = m.perClass[label];
    lines.push(`${label.padEnd(9)}${pct(c.precision).padStart(11)}${pct(c.recall).padStart(9)}${pct(c.f1).padStart(9)}${String(c.support).padStart(9)}`);
  }
  lines.push('', 'confusion (rows: true label, columns: predicted)', `${''.padEnd(9)}${LABELS.map((l) => l.padStart(9)).join('')}`);
  for (const t of LABELS) lines.push(`${t.padEnd(9)}${LABELS.map((p) => String(m.confusion[t][p]).padStart(9)).join('')}`);
  return lines.join('\n');
}

async function main() {
  const options = program.opts<Options>();
  const listing = options.files ? await listDatasetFromFile(options.data, options.files) : await listDataset(options.data);
  // Error lines go to stderr so --json output stays one object.
  for (const entry of listing.unreadableEntries) console.error(`error: ${entry.relativePath}: ${entry.reason}`);
  // A photo filed under two labels has no true label to score against: a data error to fix, not a model error.
  for (const paths of listing.conflicting) {
    console.error(`warning: one photo is under folders of different labels, so it is not counted: ${paths.map((p) => `${p.relativePath} (${p.label})`).join(', ')}`);
  }
  if (listing.repeatedLines.length > 0) {
    console.error(`warning: ${listing.repeatedLines.length} line(s) of ${options.files} name a file listed before (first: ${listing.repeatedLines[0]}); each file is counted once`);
  }
  if (listing.files.length === 0) {
    const conflicting = listing.conflicting.length > 0 ? `; ${listing.conflicting.length} are under folders of different labels` : '';
    throw new Error(`no labelled images under ${options.data} (labels come from cat(s)/dog(s)/other|neither folders${conflicting})`);
  }
  const classifier = await Classifier.load({ cardPath: options.model, device: options.device });
  reportCpuFallback('evaluate', classifier);
  const progress = options.json ? null : terminalProgress(process.stderr, listing.files.length, 'evaluating [{bar}] {value}/{total} {eta_formatted} left');
  const started = performance.now();
  const result = await evaluateFiles(classifier, listing.files, {
    concurrency: options.concurrency,
    onProgress: (done) => progress?.update(done),
    onFailure: (f) => {
      const line = `error: ${f.relativePath}: ${f.reason}`;
      if (progress) progress.log(line);
      else console.error(line);
    },
  }).finally(() => progress?.stop());
  const seconds = (performance.now() - started) / 1000;
  await classifier.dispose();
  if (result.metrics.n === 0) {
    // Every labelled file failed: there is no accuracy to report (and none to pass --min-accuracy with).
    throw new Error(`none of the ${listing.files.length} labelled images could be classified (see the error lines above)`);
  }

  const bySource = options.bySource
    ? Object.fromEntries([...groupBySource(result.rows)].map(([source, rows]) => [source, computeMetrics(rows)]))
    : undefined;
  // A database that cannot be reached must not throw away a finished evaluation: the report is printed, and the
  // gate decided, either way.
  let recordedId: string | null = null;
  if (options.record) {
    try {
      recordedId = await record(options, classifier.card, result.metrics);
    } catch (error) {
      // Prisma's messages open with the call and an excerpt of our code; the cause is their last line.
      const cause = (error instanceof Error ? error.message : String(error)).trim().split('\n').at(-1);
      console.error(`error: the run could not be recorded: ${cause}`);
    }
  }
  const report = {
    ...result.metrics,
    model: { name: classifier.card.name, version: classifier.card.version },
    data: options.data,
    files: options.files ?? null,
    skipped: {
      unlabeled: listing.unlabeled.length,
      conflicting: listing.conflicting.length,
      unreadable: result.failures.length,
      unreadableEntries: listing.unreadableEntries.length,
    },
    failures: result.failures,
    seconds: Number(seconds.toFixed(2)),
    ...(bySource ? { bySource } : {}),
    ...(options.record ? { recorded: recordedId ? { id: recordedId } : null } : {}),
  };

  if (options.json) {
    console.log(JSON.stringify(report));
  } else {
    console.log(`${classifier.card.name} ${classifier.card.version} on ${options.data}${options.files ? ` (${options.files})` : ''}`);
    const entries = listing.unreadableEntries.length > 0 ? `, ${listing.unreadableEntries.length} folders or links not read` : '';
    const conflicting = listing.conflicting.length > 0 ? `, ${listing.conflicting.length} under folders of different labels` : '';
    console.log(`skipped: ${listing.unlabeled.length} without a label folder${conflicting}, ${result.failures.length} unreadable${entries}; ${seconds.toFixed(1)} s\n`);
    console.log(formatMetrics(result.metrics));
    for (const [source, metrics] of Object.entries(bySource ?? {})) {
      console.log(`\n== ${source}: ${metrics.n} images, accuracy ${pct(metrics.accuracy)}; answered: ${LABELS.map((l) => `${l} ${LABELS.reduce((s, t) => s + metrics.confusion[t][l], 0)}`).join(', ')}`);
    }
    if (recordedId) console.log(`\nrecorded as evaluation run ${recordedId}`);
  }
  if (options.record && recordedId === null) process.exitCode = 4;
  if (options.minAccuracy !== undefined) {
    const notRead = result.failures.length + listing.unreadableEntries.length;
    if (result.metrics.accuracy < options.minAccuracy) {
      console.error(`accuracy ${pct(result.metrics.accuracy)} is below --min-accuracy ${pct(options.minAccuracy)}`);
      process.exitCode = 1;
    } else if (notRead > 0) {
      console.error(
        `accuracy ${pct(result.metrics.accuracy)} meets --min-accuracy ${pct(options.minAccuracy)} on the images read, but ` +
          `${result.failures.length} files and ${listing.unreadableEntries.length} folders or links could not be read (see the error lines)`,
      );
      process.exitCode = 3;
    }
  }
}

main().catch((error: unknown) => {
  console.error(`evaluate: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
});
