/**
 * @file Where the committed model and the fixed test split live, for callers
 * that do not say.
 * Relative to the working directory: the CLIs, the tests and the server all
 * run from the project root.
 */
import path from 'node:path';

export const DEFAULT_MODEL_CARD = path.join('models', 'petlens-mobilenetv3-small.json');

/** The photos training never sees (training/split.py); the model is accepted on them. */
export const TEST_SPLIT = path.join('training', 'splits', 'test.txt');
