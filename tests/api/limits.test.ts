/**
 * Limits of POST /api/v1/predict under a deliberately small configuration:
 * the anonymous per-IP rate limit, the per-owner image limit of token calls,
 * backpressure when the inference service is full (429 at once, never an
 * unbounded queue), and the memory all bodies together may hold. The environment is
 * set before the route module (and lib/env) is first loaded.
 */
import type { POST as PostHandler } from '~/app/api/v1/predict/route';
import { expectError, jsonRequest, multipartRequest, readPhotos, until, type Kind } from './helpers';

process.env.API_ANON_RATE_LIMIT = '3';
process.env.API_TOKEN_RATE_LIMIT = '3';
process.env.INFERENCE_MAX_IN_FLIGHT = '2';
process.env.INFERENCE_WORKERS = '1';
process.env.API_MAX_BODY_BYTES_IN_FLIGHT = String(2 * 1024 * 1024);

let POST: typeof PostHandler;
let dispose: () => Promise<void>;
let getInferenceService: typeof import('~/lib/server/inference').getInferenceService;
let photos: Record<Kind, Buffer>;
let getDb: typeof import('~/lib/server/db').getDb;
let disconnectDb: typeof import('~/lib/server/db').disconnectDb;
let makeUser: typeof import('../app/helpers').makeUser;
let createApiToken: typeof import('~/lib/server/queries/api-tokens').createApiToken;

// Imported here, not at the top: lib/env must first read the limits set above.
beforeAll(async () => {
  photos = await readPhotos();
  ({ POST } = await import('~/app/api/v1/predict/route'));
  ({ disposeInferenceService: dispose, getInferenceService } = await import('~/lib/server/inference'));
  ({ getDb, disconnectDb } = await import('~/lib/server/db'));
  ({ makeUser } = await import('../app/helpers'));
  ({ createApiToken } = await import('~/lib/server/queries/api-tokens'));
});

afterAll(async () => {
  await dispose();
  await disconnectDb();
});

/** An Authorization header with a new token of `user` (a new user by default). */
async function bearer(user?: { id: string }): Promise<string> {
  return `Bearer ${(await createApiToken({ userId: (user ?? (await makeUser())).id, name: 'limits' })).token}`;
}

/**
 * Runs `act` while PostgreSQL itself runs `plpgsql` before inserting each of `ownerId`'s predictions (a trigger, made
 * here and dropped afterwards): the database refusing or stalling on that owner's rows, as a full disk, a lock wait or
 * a failing server would.
 */
async function withOwnerInsertTrigger<T>(ownerId: string, plpgsql: string, act: () => Promise<T>): Promise<T> {
  const db = getDb();
  try {
    await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION owner_insert_trigger() RETURNS trigger AS $$ BEGIN ${plpgsql} END $$ LANGUAGE plpgsql`);
    await db.$executeRawUnsafe(`CREATE TRIGGER owner_insert_trigger BEFORE INSERT ON "Prediction" FOR EACH ROW WHEN (NEW."userId" = '${ownerId}'::uuid) EXECUTE FUNCTION owner_insert_trigger()`);
    return await act();
  } finally {
    await db.$executeRawUnsafe('DROP TRIGGER IF EXISTS owner_insert_trigger ON "Prediction"');
    await db.$executeRawUnsafe('DROP FUNCTION IF EXISTS owner_insert_trigger()');
  }
}

it('limits anonymous calls per IP address per minute (429 with Retry-After); other addresses are unaffected', async () => {
  const from = (ip: string) => multipartRequest([photos.dog], { headers: { 'x-forwarded-for': ip } });
  for (let i = 0; i < 3; i++) expect((await POST(from('192.0.2.1'))).status).toBe(200);
  const limited = await POST(from('192.0.2.1'));
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  await expectError(limited, 429, 'rate_limited');
  expect((await POST(from('192.0.2.2'))).status).toBe(200);
});

it('limits the images a token owner classifies (and stores) per minute, counting every image; other owners are unaffected', async () => {
  const [owner, other] = [await makeUser(), await makeUser()];
  const [ownerAuth, otherAuth] = [await bearer(owner), await bearer(other)];
  const send = (files: Buffer[], authorization: string) => POST(multipartRequest(files, { headers: { authorization } }));

  expect((await send([photos.cat, photos.dog], ownerAuth)).status).toBe(200);
  expect((await send([photos.cat], ownerAuth)).status).toBe(200);
  const limited = await send([photos.dog], ownerAuth);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect((await expectError(limited, 429, 'rate_limited')).error.message).toMatch(/at most 3 images per minute/);
  expect(await getDb().prediction.count({ where: { userId: owner.id } })).toBe(3);
  expect((await send([photos.cat], otherAuth)).status).toBe(200);
});

it('refuses work beyond INFERENCE_MAX_IN_FLIGHT with 429 queue_full at once, and recovers', async () => {
  // Ten simultaneous callers (distinct addresses: the rate limit stays out of it) against room for two images.
  const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => POST(multipartRequest([photos.cat], { headers: { 'x-forwarded-for': `198.51.100.${i}` } }))));
  const statuses = responses.map((r) => r.status);
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
  expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(2);
  expect(statuses.filter((s) => s === 429)).toHaveLength(10 - statuses.filter((s) => s === 200).length);
  for (const response of responses.filter((r) => r.status === 429)) {
    expect(response.headers.get('retry-after')).toBe('1');
    await expectError(response, 429, 'queue_full');
  }
  // A request with more images than the service can ever admit is refused as such: retrying cannot help.
  const never = await expectError(await POST(multipartRequest([photos.cat, photos.dog, photos.neither], { headers: { 'x-forwarded-for': '203.0.113.9' } })), 400, 'too_many_files');
  expect(never.error.message).toMatch(/at most 2 images at once \(INFERENCE_MAX_IN_FLIGHT\)/);
  // It is refused for its count before any image is looked at: a broken third image is not what it hears about.
  const instances = [{ b64: photos.cat.toString('base64') }, { b64: photos.dog.toString('base64') }, { b64: 'not base64!' }];
  const counted = await expectError(await POST(jsonRequest({ instances })), 400, 'too_many_files');
  expect(counted.error.message).toMatch(/at most 2 images at once \(INFERENCE_MAX_IN_FLIGHT\)/);
  // Once the burst is over, the service answers again.
  expect((await POST(multipartRequest([photos.cat], { headers: { 'x-forwarded-for': '203.0.113.10' } }))).status).toBe(200);
});

it('counts calls with a refused token against the address like anonymous calls; a valid token from there is unaffected', async () => {
  const valid = await bearer();
  const from = (authorization: string) => POST(multipartRequest([photos.cat], { headers: { 'x-forwarded-for': '192.0.2.7', authorization } }));
  for (let i = 0; i < 3; i++) await expectError(await from(`Bearer pl_guess${i}`), 401, 'unauthorized');
  const limited = await from('Bearer pl_guess3');
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  await expectError(limited, 429, 'rate_limited');
  expect((await from(valid)).status).toBe(200);
});

it("a token call refused as queue_full does not use up its owner's images for the minute", async () => {
  const authorization = await bearer();
  // Another request's image holds one of the two places: two images do not fit beside it.
  const held = (await getInferenceService()).tryAdmit(1)!;
  try {
    await expectError(await POST(multipartRequest([photos.cat, photos.dog], { headers: { authorization } })), 429, 'queue_full');
  } finally {
    held.release();
  }
  expect((await POST(multipartRequest([photos.cat, photos.dog], { headers: { authorization } }))).status).toBe(200);
  expect((await POST(multipartRequest([photos.cat], { headers: { authorization } }))).status).toBe(200);
});

it("a token call the server fails (its images classified, then not saved) does not use up its owner's images for the minute", async () => {
  const owner = await makeUser();
  const authorization = await bearer(owner);
  const send = (files: Buffer[]) => POST(multipartRequest(files, { headers: { authorization } }));
  // The database itself refuses this owner's rows, as a full disk or a failing server would.
  const db = getDb();
  const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await withOwnerInsertTrigger(owner.id, `RAISE EXCEPTION 'refused for the test';`, async () => {
      await expectError(await send([photos.cat, photos.dog]), 503, 'database_unavailable');
      expect(logged).toHaveBeenCalledWith('[petlens] saving API predictions:', expect.objectContaining({ message: expect.stringMatching(/refused for the test/) }));
    });
  } finally {
    logged.mockRestore();
  }
  // The minute's three images are all still there: the retry, then one more.
  expect((await send([photos.cat, photos.dog])).status).toBe(200);
  expect((await send([photos.neither])).status).toBe(200);
  expect(await db.prediction.count({ where: { userId: owner.id } })).toBe(3);
  await expectError(await send([photos.cat]), 429, 'rate_limited');
});

it('refuses at once, before reading the body, while the service is full', async () => {
  const held = (await getInferenceService()).tryAdmit(2)!;
  try {
    const { body, progress } = streamedBody(8 * 1024 * 1024);
    await expectError(await POST(streamedRequest(body, '203.0.113.31')), 429, 'queue_full');
    // The stream fills its queue of one chunk by itself; not one more was asked for.
    expect(progress.sent).toBe(256 * 1024);
  } finally {
    held.release();
  }
});

it('a body still arriving holds no place in the inference queue: slow uploads cannot starve ready images', async () => {
  // Two uploads, as many as there are places, stall halfway through their bodies.
  const stalled = [streamedBody(512 * 1024, 256 * 1024), streamedBody(512 * 1024, 256 * 1024)];
  const pending = stalled.map((waiting, i) => POST(streamedRequest(waiting.body, `203.0.113.4${i}`)));
  try {
    await Promise.all(stalled.map((waiting) => waiting.sentAtLeast(256 * 1024)));
    // Both bodies are being read: their first halves are held (and counted in the body budget).
    const bodyBudget = () => (globalThis as unknown as { petlensApiBodyBudget: { inUse: number } }).petlensApiBodyBudget.inUse;
    await until('both half bodies counted in the body budget', () => bodyBudget() >= 2 * 256 * 1024, 5000);
    expect((await getInferenceService()).health().inFlight).toBe(0);
    // A caller with a ready body is answered meanwhile, with every place in use by its own images.
    expect((await POST(multipartRequest([photos.cat, photos.dog], { headers: { 'x-forwarded-for': '203.0.113.50' } }))).status).toBe(200);
  } finally {
    for (const waiting of stalled) waiting.resume();
  }
  for (const response of await Promise.all(pending)) await expectError(response, 400, 'bad_request');
});

/**
 * A body streamed in 256 KiB chunks: `first` bytes, then, once `resume()` is
 * called, the rest up to `total`. `sentAtLeast(n)` waits until n bytes are out
 * (and fails, saying so, if they never are).
 */
function streamedBody(total: number, first = total) {
  const chunk = new Uint8Array(256 * 1024);
  const progress = { sent: 0 };
  let resume: () => void = () => {};
  const more = first < total ? new Promise<void>((resolve) => (resume = resolve)) : Promise.resolve();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (progress.sent >= total) return controller.close();
      if (progress.sent >= first) await more;
      progress.sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const sentAtLeast = (bytes: number) => until(`${bytes} bytes of the body sent`, () => progress.sent >= bytes);
  return { body, progress, resume: () => resume(), sentAtLeast };
}

function streamedRequest(body: ReadableStream<Uint8Array>, address: string): Request {
  return new Request('http://localhost/api/v1/predict', {
    method: 'POST',
    body,
    duplex: 'half',
    headers: { 'content-type': 'multipart/form-data; boundary=b', 'x-forwarded-for': address },
  } as RequestInit);
}

it('refuses a body that alone needs more than API_MAX_BODY_BYTES_IN_FLIGHT with 413 (retrying cannot help), holding none of the rest', async () => {
  // 3 MB: under the per-request limit, over the 2 MB all bodies together may hold.
  const { body, sentAtLeast } = streamedBody(3 * 1024 * 1024);
  const refused = await POST(streamedRequest(body, '203.0.113.19'));
  expect(refused.headers.get('retry-after')).toBeNull();
  const error = await expectError(refused, 413, 'payload_too_large');
  expect(error.error.message).toMatch(/API_MAX_BODY_BYTES_IN_FLIGHT/);
  // The rest is read and dropped, so that a client that writes before it reads can finish and read the answer
  // (tests/e2e/hostile-sweep.test.ts, over a real socket), and none of it is held: the budget is free at once.
  await sentAtLeast(3 * 1024 * 1024);
  expect((await POST(multipartRequest([photos.cat], { headers: { 'x-forwarded-for': '203.0.113.25' } }))).status).toBe(200);
});

it('refuses a body that would take the bodies in memory together past API_MAX_BODY_BYTES_IN_FLIGHT (429 queue_full), and gives the room back', async () => {
  // One body holds 0.75 MB and waits; a second of 2 MB stops fitting beside it at 1.25 MB.
  const held = streamedBody(1024 * 1024, 0.75 * 1024 * 1024);
  const first = POST(streamedRequest(held.body, '203.0.113.20'));
  await held.sentAtLeast(0.75 * 1024 * 1024);
  const second = streamedBody(2 * 1024 * 1024);
  const refused = await POST(streamedRequest(second.body, '203.0.113.24'));
  expect(refused.headers.get('retry-after')).toBe('1');
  await expectError(refused, 429, 'queue_full');
  // Its rest is read and dropped, holding nothing (the budget check below).
  await second.sentAtLeast(2 * 1024 * 1024);
  held.resume();
  await expectError(await first, 400, 'bad_request'); // not multipart at all, once it is all there
  // What they had claimed is free again: ordinary requests, one after another and two at once, go through.
  expect((await POST(multipartRequest([photos.cat], { headers: { 'x-forwarded-for': '203.0.113.21' } }))).status).toBe(200);
  const pair = await Promise.all([photos.dog, photos.cat].map((photo, i) => POST(multipartRequest([photo], { headers: { 'x-forwarded-for': `203.0.113.${22 + i}` } }))));
  expect(pair.map((r) => r.status)).toEqual([200, 200]);
});

it('counts IPv6 callers by their /64: rotating addresses within one network does not reset the limit', async () => {
  const from = (ip: string) => POST(multipartRequest([photos.dog], { headers: { 'x-forwarded-for': ip } }));
  for (const host of ['a', 'b', 'c']) expect((await from(`2001:db8:5:6::${host}`)).status).toBe(200);
  await expectError(await from('2001:db8:5:6:ffff::1'), 429, 'rate_limited');
  expect((await from('2001:db8:5:7::a')).status).toBe(200);
});

it('a token call waiting on a slow database save holds no classifier places: other callers are classified meanwhile', async () => {
  const owner = await makeUser();
  const authorization = await bearer(owner);
  // The database takes 1.5 s over each of this owner’s rows, as a lock wait or a struggling server would (within the
  // 5 s Prisma gives a transaction).
  const db = getDb();
  await withOwnerInsertTrigger(owner.id, 'PERFORM pg_sleep(1.5); RETURN NEW;', async () => {
    // Two images: every place there is (INFERENCE_MAX_IN_FLIGHT=2).
    const saving = POST(multipartRequest([photos.cat, photos.dog], { headers: { authorization } }));
    const sleeping = () => db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND wait_event = 'PgSleep'`);
    await until('the save under way', async () => (await sleeping())[0]!.n > 0n);
    const other = await POST(multipartRequest([photos.dog], { headers: { 'x-forwarded-for': '203.0.113.77' } }));
    expect(other.status).toBe(200);
    expect((await (await saving).json()) as { saved: boolean }).toMatchObject({ saved: true });
  });
  expect(await db.prediction.count({ where: { userId: owner.id } })).toBe(2);
}, 60_000);
