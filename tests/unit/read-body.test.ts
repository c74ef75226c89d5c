/**
 * readBodyLimited's pace check: a body still arriving holds its connection
 * and the bytes it has sent, so a body that drips must be cut off (408),
 * while a slow start and a steady upload are not.
 */
import { ApiError, readBodyLimited } from '~/lib/server/api/http';

const PACE = { minBytesPerSecond: 10_000, graceMs: 150 };

/** A POST whose body is `chunks`, each sent after waiting its delay in ms. */
function streamedRequest(chunks: { afterMs: number; bytes: number }[]): Request {
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const { afterMs, bytes } of chunks) {
        await new Promise((resolve) => setTimeout(resolve, afterMs));
        controller.enqueue(new Uint8Array(bytes).fill(7));
      }
      controller.close();
    },
  });
  return new Request('http://localhost/api/v1/predict', { method: 'POST', body, duplex: 'half' } as RequestInit);
}

async function readError(request: Request, pace = PACE): Promise<ApiError> {
  const error = await readBodyLimited(request, 1_000_000, pace).then(() => null, (e: unknown) => e);
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

it('cuts off a body that drips slower than the pace, with 408 request_timeout', async () => {
  const started = performance.now();
  const drip = Array.from({ length: 100 }, () => ({ afterMs: 50, bytes: 10 }));
  const error = await readError(streamedRequest(drip));
  expect([error.status, error.code]).toEqual([408, 'request_timeout']);
  expect(error.message).toMatch(/too slowly \(under 10000 bytes per second\)/);
  // Cut off near the grace period, not after the whole 5 s drip.
  expect(performance.now() - started).toBeLessThan(3_000);
});

it('cuts off a body that stops arriving', async () => {
  const stalled = new Request('http://localhost/', { method: 'POST', body: new ReadableStream({ start(c) { c.enqueue(new Uint8Array(100)); } }), duplex: 'half' } as RequestInit);
  expect((await readError(stalled)).code).toBe('request_timeout');
});

it('reads a body that starts late but then keeps the pace, whole', async () => {
  const steady = [{ afterMs: 100, bytes: 5_000 }, ...Array.from({ length: 10 }, () => ({ afterMs: 20, bytes: 2_000 }))];
  const body = await readBodyLimited(streamedRequest(steady), 1_000_000, PACE);
  expect(body.byteLength).toBe(25_000);
  expect(body.every((byte) => byte === 7)).toBe(true);
});

it('with the check off (0), waits for a slow body', async () => {
  const slow = [{ afterMs: 300, bytes: 10 }, { afterMs: 300, bytes: 10 }];
  const body = await readBodyLimited(streamedRequest(slow), 1_000_000, { minBytesPerSecond: 0, graceMs: 0 });
  expect(body.byteLength).toBe(20);
});

it('still refuses a body over the size limit with 413', async () => {
  const error = await readBodyLimited(streamedRequest([{ afterMs: 0, bytes: 2_000 }]), 1_000, PACE).then(() => null, (e: unknown) => e);
  expect(error).toMatchObject({ status: 413, code: 'payload_too_large' });
});

it('with a pace of a few bytes a second, a large body that keeps coming is read whole (deadlines past setTimeout’s longest delay)', async () => {
  // At 1 byte/s the deadline after 2.4 MB lies about 28 days ahead, past the 24.8 days setTimeout can wait:
  // such a timer fires at once, and used to cut off the next chunk as "too slow".
  const chunks = Array.from({ length: 4 }, () => ({ afterMs: 20, bytes: 1_200_000 }));
  const body = await readBodyLimited(streamedRequest(chunks), 10_000_000, { minBytesPerSecond: 1, graceMs: 0 });
  expect(body.byteLength).toBe(4_800_000);
});
