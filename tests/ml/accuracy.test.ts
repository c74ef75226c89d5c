/**
 * The committed model on the fixed test split (training/splits/test.txt),
 * through the TypeScript serving code: the figures the model is accepted on.
 */
import path from 'node:path';
import { Classifier } from '~/lib/ml/classifier';
import { listDatasetFromFile } from '~/lib/ml/dataset';
import { DEFAULT_MODEL_CARD } from '~/lib/ml/defaults';
import { acceptanceFailures, acceptanceFigures, evaluateFiles } from '~/lib/ml/evaluate';
import { SHARED_DATA } from '../fixtures/images';

it('meets the acceptance thresholds on the test split', async () => {
  const listing = await listDatasetFromFile(SHARED_DATA, path.join('training', 'splits', 'test.txt'));
  expect(listing.files.length).toBeGreaterThan(1500);
  const classifier = await Classifier.load({ cardPath: DEFAULT_MODEL_CARD });
  try {
    const result = await evaluateFiles(classifier, listing.files);
    expect(result.failures).toEqual([]);
    const figures = acceptanceFigures(result.rows);
    console.log(`test split: ${result.metrics.n} images, accuracy ${(result.metrics.accuracy * 100).toFixed(2)}%`, figures);
    expect(acceptanceFailures(figures)).toEqual([]);
  } finally {
    await classifier.dispose();
  }
}, 300_000);
