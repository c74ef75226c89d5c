/**
 * @file Where the committed model lives, for callers that do not say.
 * Relative to the working directory: the CLIs, the tests and the server all
 * run from the project root.
 */
import path from 'node:path';

export const DEFAULT_MODEL_CARD = path.join('models', 'petlens-mobilenetv3-small.json');
