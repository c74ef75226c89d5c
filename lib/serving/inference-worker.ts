/**
 * @file One inference worker thread: owns one onnxruntime session and runs
 * the batches the pool sends it, off the main thread's event loop.
 *
 * Protocol (see worker-pool.ts):
 *  - workerData: WorkerInit;
 *  - out: { type: 'ready', executionProvider, fallbackReason, spinsForLoneImages }
 *    once the sessions are created and warmed up, or { type: 'failed', message };
 *  - in:  { id, pixels: ArrayBuffer (transferred), batch, alone };
 *  - out: { id, predictions, spun } or { id, error };
 *  - in:  { type: 'crash' }: throw, uncaught (WorkerPool.simulateCrash);
 *  - in:  { type: 'stall', ms }: block the thread for ms (WorkerPool.simulateStall).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Classifier } from '../ml/classifier';
import { spinsForLoneImages } from '../ml/session';
import type { WorkerFaultRequest, WorkerInit, WorkerReply, WorkerRequest, WorkerStatus } from './worker-protocol';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('inference-worker must run in a worker thread');
  const init = workerData as WorkerInit;
  let status: WorkerStatus;
  try {
    // The same loading (card, sha256 check, session, warm-up) as every other caller.
    const classifier = await Classifier.load({ cardPath: init.cardPath, device: init.device, intraOpThreads: init.intraOpThreads });
    // A second session of the same model whose threads spin between operators,
    // for an image that is alone in an idle service (request.alone): nothing
    // else wants the cores then, and one image on two threads takes about a
    // third less time than when the second thread sleeps and is woken for each
    // operator (2-core Xeon: 2.3 against 3.2 ms; a request's p50 10.5 -> 8.0 ms
    // in npm run bench). Under load, batches run on the sleeping session, whose
    // threads leave the cores to decoding (spinning for every batch cost 10 %
    // of the requests/s at concurrency 32). After a lone run its second thread
    // spins on for up to about 30 ms of CPU before it sleeps; onnxruntime's
    // session.force_spinning_stop ends that at once, but then the run took
    // 3.1 ms again, so it is not set.
    let lone: Classifier | null = null;
    if (init.loneSession && spinsForLoneImages(classifier.executionProvider, init.intraOpThreads)) {
      // Optional: without it every image runs on the sleeping session, as before. Loaded (and checked) again rather
      // than kept from the first load: every Classifier would otherwise hold the model's bytes for its whole life.
      lone = await Classifier.load({ cardPath: init.cardPath, device: 'cpu', intraOpThreads: init.intraOpThreads, spinning: true }).catch((error: unknown) => {
        console.error(`[petlens] no spinning session for lone images: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
    }
    port.on('message', (request: WorkerRequest | WorkerFaultRequest) => {
      if ('type' in request) {
        if (request.type === 'crash') throw new Error('crash requested by the pool (WorkerPool.simulateCrash)');
        // Blocks this thread outright, as a stuck native call would: no event loop turn, no message read.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, request.ms);
        return;
      }
      const spun = request.alone && lone !== null;
      (spun ? lone! : classifier)
        .classifyBatch(new Uint8Array(request.pixels), request.batch)
        .then((predictions) => {
          const reply: WorkerReply = { id: request.id, predictions, spun };
          port.postMessage(reply);
        })
        .catch((error: unknown) => {
          const reply: WorkerReply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
          port.postMessage(reply);
        });
    });
    status = { type: 'ready', executionProvider: classifier.executionProvider, fallbackReason: classifier.fallbackReason, spinsForLoneImages: lone !== null };
  } catch (error) {
    status = { type: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(status);
}

void main();
