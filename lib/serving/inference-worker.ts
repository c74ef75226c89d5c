/**
 * @file One inference worker thread: owns one onnxruntime session and runs
 * the batches the pool sends it, off the main thread's event loop.
 *
 * Protocol (see worker-pool.ts):
 *  - workerData: WorkerInit;
 *  - out: { type: 'ready', executionProvider, fallbackReason } once the
 *    session is created and warmed up, or { type: 'failed', message };
 *  - in:  { id, pixels: ArrayBuffer (transferred), batch };
 *  - out: { id, predictions } or { id, error };
 *  - in:  { type: 'crash' }: throw, uncaught (WorkerPool.simulateCrash);
 *  - in:  { type: 'stall', ms }: block the thread for ms (WorkerPool.simulateStall).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Classifier } from '../ml/classifier';
import type { WorkerFaultRequest, WorkerInit, WorkerReply, WorkerRequest, WorkerStatus } from './worker-protocol';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('inference-worker must run in a worker thread');
  const init = workerData as WorkerInit;
  let status: WorkerStatus;
  try {
    // The same loading (card, sha256 check, session, warm-up) as every other caller.
    const classifier = await Classifier.load({ cardPath: init.cardPath, device: init.device, intraOpThreads: init.intraOpThreads });
    port.on('message', (request: WorkerRequest | WorkerFaultRequest) => {
      if ('type' in request) {
        if (request.type === 'crash') throw new Error('crash requested by the pool (WorkerPool.simulateCrash)');
        // Blocks this thread outright, as a stuck native call would: no event loop turn, no message read.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, request.ms);
        return;
      }
      classifier
        .classifyBatch(new Uint8Array(request.pixels), request.batch)
        .then((predictions) => {
          const reply: WorkerReply = { id: request.id, predictions };
          port.postMessage(reply);
        })
        .catch((error: unknown) => {
          const reply: WorkerReply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
          port.postMessage(reply);
        });
    });
    status = { type: 'ready', executionProvider: classifier.executionProvider, fallbackReason: classifier.fallbackReason };
  } catch (error) {
    status = { type: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(status);
}

void main();
