/**
 * npm run model:robustness [-- --data DIR --model CARD --json FILE]
 *
 * The model on the fixed test split after what happens to photos on their
 * way to PetLens: re-saved as a JPEG by a messenger or a website, shrunk,
 * tilted, underexposed, framed with margins. For each, issue #2's acceptance
 * figures, through the same TypeScript code that serves the model. The bars
 * are for the photos as they are (tests/ml/accuracy.test.ts); these figures
 * show how far the model can be trusted on photos unlike ../shared/data, and
 * catch shortcuts (model 1.2.0 took heavy JPEG compression as a sign of a pet).
 *
 * A second table shrinks the test split to a shorter side of 16 to 96 px,
 * with the serving code's minimum side lifted, to show where the answers
 * become guesses: the evidence for MIN_IMAGE_SIDE (README, "Small images").
 * Prints the tables and writes JSON (.bench/robustness.json).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import sharp from 'sharp';
import { Classifier } from '~/lib/ml/classifier';
import { listDatasetFromFile, type LabeledFile } from '~/lib/ml/dataset';
import { DEFAULT_MODEL_CARD, TEST_SPLIT } from '~/lib/ml/defaults';
import { acceptanceFigures, evaluateFiles, type AcceptanceFigures } from '~/lib/ml/evaluate';

const program = new Command('model-robustness')
  .option('--data <dir>', 'the shared data folder', path.join('..', 'shared', 'data'))
  .option('--model <card>', 'model card JSON', DEFAULT_MODEL_CARD)
  .option('--json <file>', 'where to write the results', path.join('.bench', 'robustness.json'))
  .addOption(new Option('--tables <which>', 'which tables to measure').choices(['both', 'altered', 'small']).default('both'))
  .parse();

async function width(bytes: Buffer): Promise<number> {
  const { autoOrient } = await sharp(bytes).metadata();
  return autoOrient.width;
}

/** Shorter sides of the small-images table; MIN_IMAGE_SIDE (48) among them. */
const SMALL_SIDES = [16, 24, 32, 48, 64, 96];

/** Shrinks (never enlarges) a photo to the given shorter side, as a thumbnail would arrive. */
function shrinkToShorterSide(side: number) {
  return async (bytes: Buffer) => {
    const { width: w, height: h } = (await sharp(bytes).metadata()).autoOrient;
    const box = w <= h ? { width: side } : { height: side };
    return sharp(bytes).autoOrient().resize({ ...box, withoutEnlargement: true }).jpeg({ quality: 90 }).toBuffer();
  };
}

/** Each alteration starts from the stored file and ends as a JPEG, as a photo would arrive. */
const ALTERATIONS: Record<string, { what: string; alter?: (bytes: Buffer) => Promise<Buffer> }> = {
  original: { what: 'as stored' },
  jpeg60: { what: 're-saved as JPEG quality 60', alter: (b) => sharp(b).autoOrient().jpeg({ quality: 60 }).toBuffer() },
  jpeg30: { what: 're-saved as JPEG quality 30', alter: (b) => sharp(b).autoOrient().jpeg({ quality: 30 }).toBuffer() },
  half: { what: 'half the width and height', alter: async (b) => sharp(b).autoOrient().resize(Math.max(1, Math.round((await width(b)) / 2))).jpeg({ quality: 85 }).toBuffer() },
  tilted: { what: 'rotated 10°, grey corners', alter: (b) => sharp(b).autoOrient().rotate(10, { background: '#808080' }).jpeg({ quality: 90 }).toBuffer() },
  dark: { what: 'brightness × 0.6', alter: (b) => sharp(b).autoOrient().modulate({ brightness: 0.6 }).jpeg({ quality: 90 }).toBuffer() },
  margins: {
    what: 'white margins, a third of the width each side',
    alter: async (b) => {
      const side = Math.round((await width(b)) / 3);
      return sharp(b).autoOrient().extend({ left: side, right: side, background: '#ffffff' }).jpeg({ quality: 90 }).toBuffer();
    },
  },
};

const percent = (x: number) => `${(x * 100).toFixed(2)} %`;

type Row = { what: string; n: number; accuracy: number; acceptance: AcceptanceFigures };

/** Evaluates one variant of the test split and prints its row of the table. */
async function measure(classifier: Classifier, files: readonly LabeledFile[], what: string, alter?: (bytes: Buffer) => Promise<Buffer>): Promise<Row> {
  const result = await evaluateFiles(classifier, files, { alter });
  if (result.failures.length > 0) throw new Error(`${what}: ${result.failures[0]!.relativePath}: ${result.failures[0]!.reason}`);
  const acceptance = acceptanceFigures(result.rows);
  console.log(
    `| ${what} | ${percent(acceptance.kaggleAccuracy)} | ${percent(acceptance.breedsAccuracy)} | ${percent(acceptance.nonPetsAnsweredNeither)} | ${percent(acceptance.petsAnsweredNeither)} | ${percent(result.metrics.accuracy)} |`,
  );
  return { what, n: result.metrics.n, accuracy: result.metrics.accuracy, acceptance };
}

const TABLE_HEAD = '| photos | Kaggle | breeds | non-pets answered "neither" | pets answered "neither" | all |\n|---|---:|---:|---:|---:|---:|';

type Variant = { what: string; alter?: (bytes: Buffer) => Promise<Buffer> };
type ModelName = { name: string; version: string };

/** Loads the model (with `minImageSide` when given), prints one table, a row per variant, and returns the rows by key. */
async function measureTable(
  cardPath: string,
  files: readonly LabeledFile[],
  title: (model: ModelName) => string,
  variants: Record<string, Variant>,
  minImageSide?: number,
): Promise<{ model: ModelName; rows: Record<string, Row> }> {
  const classifier = await Classifier.load({ cardPath, minImageSide });
  const model = { name: classifier.card.name, version: classifier.card.version };
  const rows: Record<string, Row> = {};
  try {
    console.log(`${title(model)}\n\n${TABLE_HEAD}`);
    for (const [key, { what, alter }] of Object.entries(variants)) rows[key] = await measure(classifier, files, what, alter);
  } finally {
    await classifier.dispose();
  }
  return { model, rows };
}

async function main(): Promise<void> {
  const options = program.opts<{ data: string; model: string; json: string; tables: 'both' | 'altered' | 'small' }>();
  const { files } = await listDatasetFromFile(options.data, TEST_SPLIT);
  let model: ModelName | undefined;
  let results: Record<string, Row> = {};
  let smallImages: Record<string, Row> = {};

  if (options.tables !== 'small') {
    ({ model, rows: results } = await measureTable(options.model, files, (m) => `${m.name} ${m.version} on ${files.length} test photos`, ALTERATIONS));
  }
  if (options.tables !== 'altered') {
    const shrunk = Object.fromEntries(SMALL_SIDES.map((side) => [`${side}px`, { what: `shorter side ${side} px`, alter: shrinkToShorterSide(side) }]));
    // The minimum side lifted: this table is what MIN_IMAGE_SIDE was chosen from.
    ({ model, rows: smallImages } = await measureTable(
      options.model,
      files,
      (m) => `\n${m.name} ${m.version}, test photos shrunk to a shorter side (JPEG quality 90), no minimum side`,
      shrunk,
      1,
    ));
  }

  await mkdir(path.dirname(options.json), { recursive: true });
  await writeFile(options.json, `${JSON.stringify({ when: new Date().toISOString(), model, results, smallImages }, null, 2)}\n`);
  console.log(`\nwrote ${options.json}`);
}

main().catch((error: unknown) => {
  console.error(`model-robustness: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
