/**
 * Entry of an inference worker thread (see worker-pool.ts). Plain CommonJS
 * that Next never bundles: the pool starts it by path, from the project
 * root, both under `next start` and in tests and scripts. It registers tsx
 * (already how `npm start` runs) so the worker runs the same TypeScript
 * inference core as everything else (lib/ml), then loads the worker proper.
 */
'use strict';
const path = require('node:path');

require('tsx/cjs/api').register();
require(path.join(__dirname, 'inference-worker.ts'));
