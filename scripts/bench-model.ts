/**
 * npm run bench:model [-- --data DIR --model CARD --seconds N --threads N --json FILE]
 *
 * Prints, measured in this run on this machine:
 *  - file bytes -> probabilities for real 500x375 JPEGs (decode + model), p50/p90/p99,
 *    one image at a time as a server worker runs a lone image: its intra-op
 *    threads (--threads), spinning when there are two or more
 *  - preprocessing alone for a 500x375 JPEG and a 12-megapixel JPEG
 *  - model-only images/s by batch size on one intra-op thread (the figure
 *    comparable across machines and with earlier runs), and batch 1 on --threads
 * Machines are shared and noisy: compare figures from the same run, not across runs.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import sharp from 'sharp';
import { Classifier } from '~/lib/ml/classifier';
import { DEFAULT_MODEL_CARD, TEST_SPLIT } from '~/lib/ml/defaults';
import { spinsForLoneImages } from '~/lib/ml/session';
import { defaultThreads } from '~/lib/serving/inference-service';
import { parsePositiveInt } from './cli-options';
import { modelOnlyByBatch, twelveMegapixelJpeg } from './lib/model-bench';
import { measure, stats } from './lib/stats';

const program = new Command('bench-model')
  .option('--data <dir>', 'the shared data folder', path.join('..', 'shared', 'data'))
  .option('--model <card>', 'model card JSON', DEFAULT_MODEL_CARD)
  .option('--seconds <n>', 'seconds per measurement', parsePositiveInt, 3)
  .option('--threads <n>', 'intra-op threads for the single-image figures (default: the server\'s default on this machine)', parsePositiveInt, defaultThreads().intraOpThreads)
  .option('--json <file>', 'also write the results as JSON', path.join('.bench', 'model.json'))
  .parse();

async function realJpegs(dataDir: string, width: number, height: number, limit: number): Promise<{ file: string; bytes: Buffer }[]> {
  const list = (await readFile(TEST_SPLIT, 'utf8')).split('\n').filter((l) => l.startsWith('pets/'));
  const found: { file: string; bytes: Buffer }[] = [];
  for (const file of list) {
    const bytes = await readFile(path.join(dataDir, file));
    const meta = await sharp(bytes).metadata();
    if (meta.format === 'jpeg' && meta.width === width && meta.height === height) found.push({ file, bytes });
    if (found.length >= limit) break;
  }
  if (found.length === 0) throw new Error(`no ${width}x${height} JPEG in the test split under ${dataDir}`);
  return found;
}

async function main() {
  const options = program.opts<{ data: string; model: string; seconds: number; threads: number; json: string }>();
  const photos = await realJpegs(options.data, 500, 375, 16);
  const bigPhoto = await twelveMegapixelJpeg(photos[0]!.bytes);
  const results: Record<string, unknown> = { machine: { cpus: os.cpus().length, availableParallelism: os.availableParallelism(), model: os.cpus()[0]?.model }, when: new Date().toISOString() };

  // A lone image as the server handles it: one worker's session for lone images, with its intra-op threads.
  const classifier = await Classifier.load({ cardPath: options.model, intraOpThreads: options.threads, spinning: spinsForLoneImages('cpu', options.threads) });
  const endToEnd = stats(await measure(options.seconds, (i) => classifier.classify(photos[i % photos.length]!.bytes)));
  const decodeSmall = stats(await measure(options.seconds, (i) => classifier.decode(photos[i % photos.length]!.bytes)));
  const decodeBig = stats(await measure(options.seconds, () => classifier.decode(bigPhoto)));
  const pixels = (await classifier.decode(photos[0]!.bytes)).pixels;
  // The model alone by batch size, on one thread: how much work a batch is, free of how threads split it.
  // With --threads 1 that session is the one above, and its batch 1 is the lone image's figure.
  let oneThread = classifier;
  let batch1: ReturnType<typeof stats> | null = null;
  if (options.threads !== 1) {
    batch1 = stats(await measure(options.seconds, () => classifier.classifyPixels([pixels])));
    await classifier.dispose();
    oneThread = await Classifier.load({ cardPath: options.model, intraOpThreads: 1 });
  }
  const modelOnly = await modelOnlyByBatch(oneThread, pixels, options.seconds);
  await oneThread.dispose();
  const modelBatch1 = batch1 ?? modelOnly[1]!.msPerBatch;
  Object.assign(results, {
    model: classifier.card.name,
    version: classifier.card.version,
    executionProvider: classifier.executionProvider,
    intraOpThreads: options.threads,
    endToEnd500x375Ms: endToEnd,
    preprocess500x375Ms: decodeSmall,
    preprocess12MpMs: decodeBig,
    modelBatch1Ms: modelBatch1,
    modelOnly,
  });

  console.log(`${classifier.card.name} ${classifier.card.version} on ${classifier.executionProvider}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${photos.length} real 500x375 JPEGs`);
  console.log(`file bytes -> probabilities, 500x375 JPEG, ${options.threads} intra-op thread(s): p50 ${endToEnd.p50.toFixed(2)} ms  p90 ${endToEnd.p90.toFixed(2)} ms  p99 ${endToEnd.p99.toFixed(2)} ms  (n=${endToEnd.n})`);
  console.log(`preprocessing only:  500x375 JPEG p50 ${decodeSmall.p50.toFixed(2)} ms   12 MP JPEG p50 ${decodeBig.p50.toFixed(2)} ms`);
  console.log(`model only, batch 1, ${options.threads} intra-op thread(s): p50 ${modelBatch1.p50.toFixed(2)} ms`);
  console.log('model only (1 intra-op thread):');
  for (const [batch, r] of Object.entries(modelOnly)) console.log(`  batch ${batch.padStart(2)}: ${String(r.imagesPerSecond).padStart(7)} images/s  (${r.msPerBatch.p50.toFixed(2)} ms per batch)`);
  await mkdir(path.dirname(options.json), { recursive: true });
  await writeFile(options.json, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${options.json}`);
}

main().catch((error: unknown) => {
  console.error(`bench-model: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
