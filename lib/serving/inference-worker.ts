/**
 * @file One inference worker thread: owns one onnxruntime session and runs
 * the batches the pool sends it, off the main thread's event loop.
 *
 * Protocol (see worker-pool.ts):
 *  - workerData: WorkerInit;
 *  - out: { type: 'ready', executionProvider, fallbackReason } once the
 *    session is created and warmed up, or { type: 'failed', message };
 *  - in:  { id, pixels: ArrayBuffer (transferred), batch };
 *  - out: { id, predictions } or { id, error }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadModelArtifacts } from '../ml/model-card';
import { toPredictions } from '../ml/postprocess';
import { createClassifierSession } from '../ml/session';
import type { WorkerInit, WorkerReply, WorkerRequest, WorkerStatus } from './worker-protocol';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('inference-worker must run in a worker thread');
  const init = workerData as WorkerInit;
  let status: WorkerStatus;
  try {
    const { card, modelBytes } = await loadModelArtifacts(init.cardPath);
    const [, height, width, channels] = card.input.shape;
    const session = await createClassifierSession({
      model: modelBytes,
      inputName: card.input.name,
      outputName: card.output.name,
      imageShape: [height, width, channels],
      device: init.device,
      intraOpThreads: init.intraOpThreads,
    });
    port.on('message', (request: WorkerRequest) => {
      session
        .run(new Uint8Array(request.pixels), request.batch)
        .then((logits) => {
          const reply: WorkerReply = { id: request.id, predictions: toPredictions(logits, card.classes) };
          port.postMessage(reply);
        })
        .catch((error: unknown) => {
          const reply: WorkerReply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
          port.postMessage(reply);
        });
    });
    status = { type: 'ready', executionProvider: session.executionProvider, fallbackReason: session.fallbackReason };
  } catch (error) {
    status = { type: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(status);
}

void main();
