/**
 * The committed model on the fixed test split (training/splits/test.txt),
 * through the TypeScript serving code: the figures the model is accepted on.
 * One evaluation (about 10 s) feeds every assertion.
 */
import { readFile } from 'node:fs/promises';
import { Classifier } from '~/lib/ml/classifier';
import { listDatasetFromFile } from '~/lib/ml/dataset';
import { DEFAULT_MODEL_CARD, TEST_SPLIT } from '~/lib/ml/defaults';
import { ACCEPTANCE_THRESHOLDS, acceptanceFigures, evaluateFiles, type AcceptanceFigures, type EvaluationResult } from '~/lib/ml/evaluate';
import { SHARED_DATA } from '../fixtures/images';

let result: EvaluationResult;
let figures: AcceptanceFigures;

beforeAll(async () => {
  const listing = await listDatasetFromFile(SHARED_DATA, TEST_SPLIT);
  const classifier = await Classifier.load({ cardPath: DEFAULT_MODEL_CARD });
  try {
    result = await evaluateFiles(classifier, listing.files);
  } finally {
    await classifier.dispose();
  }
  figures = acceptanceFigures(result.rows);
  console.log(`test split: ${result.metrics.n} images, accuracy ${(result.metrics.accuracy * 100).toFixed(2)}%`, figures);
}, 300_000);

it('reads every image of the test split', () => {
  expect(result.failures).toEqual([]);
  expect(result.metrics.n).toBeGreaterThan(1500);
});

it('reproduces the figures in the model card (within half a point)', async () => {
  const card = JSON.parse(await readFile(DEFAULT_MODEL_CARD, 'utf8')) as { metrics: { test?: { accuracy: number; acceptance: AcceptanceFigures } } };
  if (!card.metrics.test) throw new Error('the model card has no test metrics: run `npm run model:metrics`');
  expect(Math.abs(result.metrics.accuracy - card.metrics.test.accuracy)).toBeLessThanOrEqual(0.005);
  for (const key of Object.keys(ACCEPTANCE_THRESHOLDS) as (keyof AcceptanceFigures)[]) {
    expect({ key, gap: Math.abs(figures[key] - card.metrics.test.acceptance[key]) <= 0.005 }).toEqual({ key, gap: true });
  }
});

it('says "neither" for at least 97% of non-pet photos and for at most 1% of pets', () => {
  expect(figures.nonPetsAnsweredNeither).toBeGreaterThanOrEqual(ACCEPTANCE_THRESHOLDS.nonPetsAnsweredNeither.min);
  expect(figures.petsAnsweredNeither).toBeLessThanOrEqual(ACCEPTANCE_THRESHOLDS.petsAnsweredNeither.max);
});

it("reaches issue #2's accuracy bar on breed photos: at least 98%", () => {
  expect(figures.breedsAccuracy).toBeGreaterThanOrEqual(ACCEPTANCE_THRESHOLDS.breedsAccuracy.min);
});

// Model 1.2.0 meets it with no room to spare: 4 of 400 wrong, the most the bar allows.
it("reaches issue #2's accuracy bar on Kaggle photos: at least 99%", () => {
  expect(figures.kaggleAccuracy).toBeGreaterThanOrEqual(ACCEPTANCE_THRESHOLDS.kaggleAccuracy.min);
});
