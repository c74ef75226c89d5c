/**
 * POST /api/v1/predict, health, model and OpenAPI through the route handlers,
 * against the real test database, the real model and the real worker pool.
 * Token creation and revocation go through the /account server actions.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import Ajv2020 from 'ajv/dist/2020';
import sharp from 'sharp';
import { createApiTokenAction, revokeApiTokenAction } from '~/app/(app)/account/actions';
import * as unknownApiPath from '~/app/api/[[...path]]/route';
import * as predictRoute from '~/app/api/v1/predict/route';
import * as healthRoute from '~/app/api/v1/health/route';
import * as modelRoute from '~/app/api/v1/model/route';
import * as openapiRoute from '~/app/api/v1/openapi.json/route';
import { env } from '~/lib/env';
import { disconnectDb, getDb } from '~/lib/server/db';
import { disposeInferenceService } from '~/lib/server/inference';
import { makeThumbnail } from '~/lib/server/thumbnail';
import { actAs, form, makeUser, withLoggedErrors } from '../app/helpers';
import { expectError, jsonRequest, multipartRequest, pngHeaderOnly, readPhotos, until, type Kind } from './helpers';

jest.mock('next-auth', () => ({ __esModule: true, ...jest.requireActual<object>('next-auth'), getServerSession: jest.fn() }));
jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));
// The real thumbnail maker, wrapped so that one test can make it fail (no photo known to classify and then fail it).
jest.mock('~/lib/server/thumbnail', () => {
  const actual = jest.requireActual<typeof import('~/lib/server/thumbnail')>('~/lib/server/thumbnail');
  return { ...actual, makeThumbnail: jest.fn(actual.makeThumbnail) };
});

const { POST } = predictRoute;
const { GET: health } = healthRoute;
const { GET: model } = modelRoute;
const { GET: openapi } = openapiRoute;

interface PredictBody {
  predictions: { label: Kind; confidence: number; probabilities: Record<Kind, number>; id?: string }[];
  model: { name: string; version: string };
  saved: boolean;
  notSaved?: string;
}

let photos: Record<Kind, Buffer>;
/** The model card the app serves (MODEL_CARD_PATH): every answer must name its model. */
let servedCard: { name: string; version: string } & Record<string, unknown>;

beforeAll(async () => {
  photos = await readPhotos();
  servedCard = JSON.parse(await readFile(env.MODEL_CARD_PATH, 'utf8')) as typeof servedCard;
});

afterAll(async () => {
  await disposeInferenceService();
  await disconnectDb();
});

async function expectPredictions(response: Response, kinds: Kind[]): Promise<PredictBody> {
  const body = (await response.json()) as PredictBody;
  expect(response.status).toBe(200);
  expect(body.predictions.map((p) => p.label)).toEqual(kinds);
  for (const p of body.predictions) {
    expect(p.probabilities.cat + p.probabilities.dog + p.probabilities.neither).toBeCloseTo(1, 5);
    expect(p.confidence).toBe(p.probabilities[p.label]);
  }
  expect(body.model).toEqual({ name: servedCard.name, version: servedCard.version });
  return body;
}

type Conformance = (schema: string, value: unknown) => string;
let conformance: Promise<Conformance> | undefined;

/** Checks a value against a schema of the served OpenAPI document: 'valid', or what is wrong with it. Built once per file. */
function openApiConformance(): Promise<Conformance> {
  conformance ??= buildOpenApiConformance();
  return conformance;
}

async function buildOpenApiConformance(): Promise<Conformance> {
  const doc = (await openapi().json()) as { components: { schemas: Record<string, object> } };
  // Ajv's JSON Schema 2020-12 dialect, OpenAPI 3.1's; the schemas refer to each other through components.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  ajv.addSchema({ $id: 'openapi', components: doc.components });
  return (schema, value) => {
    const validate = ajv.getSchema(`openapi#/components/schemas/${schema}`)!;
    return validate(value) ? 'valid' : ajv.errorsText(validate.errors);
  };
}

async function createToken(user: Awaited<ReturnType<typeof makeUser>>, name = 'script'): Promise<string> {
  actAs(user);
  const state = await createApiTokenAction({ status: 'idle' }, form({ name }));
  if (state.status !== 'success') throw new Error(`token not created: ${state.status}`);
  return state.token;
}

describe('POST /api/v1/predict', () => {
  it('classifies one multipart image for an anonymous caller and stores nothing', async () => {
    const before = await getDb().prediction.count();
    const body = await expectPredictions(await POST(multipartRequest([photos.cat])), ['cat']);
    expect(body.saved).toBe(false);
    expect(body.predictions[0]!.id).toBeUndefined();
    expect(await getDb().prediction.count()).toBe(before);
  });

  it('classifies several multipart images in request order', async () => {
    await expectPredictions(await POST(multipartRequest([photos.dog, photos.neither, photos.cat, photos.dog])), ['dog', 'neither', 'cat', 'dog']);
  });

  it('classifies TF-Serving style JSON {"instances": [{"b64"}]}', async () => {
    const response = await POST(jsonRequest({ instances: [{ b64: photos.neither.toString('base64') }, { b64: photos.cat.toString('base64') }] }));
    await expectPredictions(response, ['neither', 'cat']);
  });

  it('accepts base64 as clients send it: a data URL, MIME line breaks, the URL-safe alphabet, no padding', async () => {
    const b64 = photos.cat.toString('base64');
    const mime = b64.replace(/.{76}/g, '$&\r\n');
    const urlSafeUnpadded = photos.dog.toString('base64url');
    expect(urlSafeUnpadded.length % 4).not.toBe(0);
    const instances = [{ b64: `data:image/jpeg;base64,${b64}` }, { b64: mime }, { b64: urlSafeUnpadded }];
    await expectPredictions(await POST(jsonRequest({ instances })), ['cat', 'cat', 'dog']);
    // Still refused: not base64 at all, a lone trailing character, padding in the middle.
    for (const bad of ['***not base64***', `${b64.slice(0, 8)}A`, `${b64.slice(0, 6)}==${b64.slice(8, 16)}`, 'data:image/jpeg;base64,!!']) {
      await expectError(await POST(jsonRequest({ instances: [{ b64: bad }] })), 400, 'bad_request');
    }
  });

  it('a token call stores the predictions (with thumbnails) in the token owner’s history only', async () => {
    const [owner, other] = [await makeUser(), await makeUser()];
    const token = await createToken(owner);
    expect(token).toMatch(/^pl_[A-Za-z0-9_-]{43}$/);
    const response = await POST(multipartRequest([photos.cat, photos.dog], { headers: { authorization: `Bearer ${token}` } }));
    const body = await expectPredictions(response, ['cat', 'dog']);
    expect(body.saved).toBe(true);
    const rows = await getDb().prediction.findMany({ where: { userId: owner.id }, select: { id: true, label: true, thumbnail: true, executionProvider: true } });
    expect(rows.map((r) => r.id).sort()).toEqual(body.predictions.map((p) => p.id).sort());
    expect(rows.map((r) => r.label).sort()).toEqual(['cat', 'dog']);
    for (const row of rows) expect((await sharp(row.thumbnail).metadata()).format).toBe('webp');
    expect(await getDb().prediction.count({ where: { userId: other.id } })).toBe(0);
    // Only the hash is stored, with the visible prefix.
    const stored = await getDb().apiToken.findFirstOrThrow({ where: { userId: owner.id } });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.tokenHash).not.toContain(token.slice(3, 20));
    expect(token.startsWith(stored.prefix)).toBe(true);
    expect(stored.lastUsedAt).not.toBeNull();
  });

  it('a thumbnail that cannot be made after classifying leaves the answers, unsaved and saying why, and stores none of the request', async () => {
    const owner = await makeUser();
    const token = await createToken(owner);
    jest.mocked(makeThumbnail).mockImplementationOnce(jest.mocked(makeThumbnail).getMockImplementation()!);
    jest.mocked(makeThumbnail).mockRejectedValueOnce(new Error('VipsForeignSaveWebp: out of memory'));
    const { result: response, logged } = await withLoggedErrors(() => POST(multipartRequest([photos.cat, photos.dog], { headers: { authorization: `Bearer ${token}` } })));
    const body = await expectPredictions(response, ['cat', 'dog']);
    expect(body.saved).toBe(false);
    expect(body.notSaved).toBe('The images were classified but not saved to your history: PetLens could not make a thumbnail of image 1.');
    expect(body.predictions.map((p) => p.id)).toEqual([undefined, undefined]);
    expect(await getDb().prediction.count({ where: { userId: owner.id } })).toBe(0);
    expect(logged.flat().join(' ')).toMatch(/making an API thumbnail[\s\S]*out of memory/);
    expect((await openApiConformance())('PredictResponse', body)).toBe('valid');
    // The next call makes its thumbnails and stores as usual.
    expect((await expectPredictions(await POST(multipartRequest([photos.cat], { headers: { authorization: `Bearer ${token}` } })), ['cat'])).saved).toBe(true);
  });

  it('a revoked, unknown or malformed token gets 401 and stores nothing', async () => {
    const owner = await makeUser();
    const token = await createToken(owner);
    const { id } = await getDb().apiToken.findFirstOrThrow({ where: { userId: owner.id }, select: { id: true } });

    // Someone else cannot revoke it.
    actAs(await makeUser());
    const revokeForm = form({ id });
    expect(await revokeApiTokenAction({ status: 'idle' }, revokeForm)).toMatchObject({ status: 'not_found' });
    await expectPredictions(await POST(multipartRequest([photos.cat], { headers: { authorization: `Bearer ${token}` } })), ['cat']);

    actAs(owner);
    expect(await revokeApiTokenAction({ status: 'idle' }, revokeForm)).toEqual({ status: 'success' });
    const before = await getDb().prediction.count({ where: { userId: owner.id } });
    const revoked = await POST(multipartRequest([photos.cat], { headers: { authorization: `Bearer ${token}` } }));
    expect(revoked.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await expectError(revoked, 401, 'unauthorized');
    await expectError(await POST(multipartRequest([photos.cat], { headers: { authorization: `Bearer pl_${randomBytes(32).toString('base64url')}` } })), 401, 'unauthorized');
    await expectError(await POST(multipartRequest([photos.cat], { headers: { authorization: 'Basic dXNlcjpwYXNz' } })), 401, 'unauthorized');
    expect(await getDb().prediction.count({ where: { userId: owner.id } })).toBe(before);
  });

  it('a token revoked while its request is still sending the body stores nothing: 401, as the next request gets', async () => {
    const owner = await makeUser();
    const token = await createToken(owner);
    const { id } = await getDb().apiToken.findFirstOrThrow({ where: { userId: owner.id }, select: { id: true } });
    // The whole multipart body, sent in two halves: the second only once the token has been revoked.
    const whole = multipartRequest([photos.cat, photos.dog], { headers: { authorization: `Bearer ${token}` } });
    const bytes = new Uint8Array(await whole.arrayBuffer());
    const half = Math.floor(bytes.byteLength / 2);
    let halvesSent = 0;
    let sendTheRest: () => void = () => {};
    const revoked = new Promise<void>((resolve) => (sendTheRest = resolve));
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (halvesSent === 0) controller.enqueue(bytes.slice(0, half));
        else if (halvesSent === 1) {
          await revoked;
          controller.enqueue(bytes.slice(half));
        } else controller.close();
        halvesSent += 1;
      },
    });
    const request = new Request(whole.url, { method: 'POST', body, duplex: 'half', headers: whole.headers } as RequestInit);
    const answer = POST(request);
    // The body is read after the token was checked: the request is under way with a valid token.
    await until('the first half of the body read', () => halvesSent >= 1);
    actAs(owner);
    expect(await revokeApiTokenAction({ status: 'idle' }, form({ id }))).toEqual({ status: 'success' });
    sendTheRest();
    const response = await answer;
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await expectError(response, 401, 'unauthorized')).error.message).toMatch(/revoked while this request was under way; nothing was stored/);
    expect(await getDb().prediction.count({ where: { userId: owner.id } })).toBe(0);
  });

  it('an account holds at most API_TOKEN.maxActivePerUser active tokens, also when many are created at once; a revoked one frees a place', async () => {
    const { API_TOKEN } = await import('~/lib/config');
    const { createApiToken } = await import('~/lib/server/queries/api-tokens');
    const owner = await makeUser();
    await Promise.all(Array.from({ length: API_TOKEN.maxActivePerUser - 1 }, (_, i) => createApiToken({ userId: owner.id, name: `t${i}` })));
    // One place left and five creations racing for it: exactly one gets it.
    const race = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => createApiToken({ userId: owner.id, name: `race${i}` })));
    expect(race.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(await getDb().apiToken.count({ where: { userId: owner.id, revokedAt: null } })).toBe(API_TOKEN.maxActivePerUser);
    actAs(owner);
    const oneTooMany = form({ name: 'one too many' });
    expect(await createApiTokenAction({ status: 'idle' }, oneTooMany)).toEqual({ status: 'invalid_data', message: 'You have too many active tokens; revoke one first.' });
    const { id } = await getDb().apiToken.findFirstOrThrow({ where: { userId: owner.id }, select: { id: true } });
    const revokeForm = form({ id });
    expect(await revokeApiTokenAction({ status: 'idle' }, revokeForm)).toEqual({ status: 'success' });
    expect(await createApiTokenAction({ status: 'idle' }, oneTooMany)).toMatchObject({ status: 'success' });
  });

  it('creating and revoking in a loop keeps only the newest API_TOKEN.maxRevokedKeptPerUser revoked tokens; active ones and other users\' are untouched', async () => {
    const { API_TOKEN } = await import('~/lib/config');
    const owner = await makeUser();
    const other = await makeUser();
    actAs(other);
    expect(await createApiTokenAction({ status: 'idle' }, form({ name: 'other' }))).toMatchObject({ status: 'success' });
    const otherToken = await getDb().apiToken.findFirstOrThrow({ where: { userId: other.id }, select: { id: true } });
    expect(await revokeApiTokenAction({ status: 'idle' }, form({ id: otherToken.id }))).toEqual({ status: 'success' });
    actAs(owner);
    expect(await createApiTokenAction({ status: 'idle' }, form({ name: 'kept active' }))).toMatchObject({ status: 'success' });
    const rounds = API_TOKEN.maxRevokedKeptPerUser + 5;
    for (let i = 0; i < rounds; i++) {
      expect(await createApiTokenAction({ status: 'idle' }, form({ name: `loop ${i}` }))).toMatchObject({ status: 'success' });
      const { id } = await getDb().apiToken.findFirstOrThrow({ where: { userId: owner.id, name: `loop ${i}` }, select: { id: true } });
      expect(await revokeApiTokenAction({ status: 'idle' }, form({ id }))).toEqual({ status: 'success' });
    }
    const revoked = await getDb().apiToken.findMany({ where: { userId: owner.id, revokedAt: { not: null } }, select: { name: true }, orderBy: { revokedAt: 'desc' } });
    // The newest ones stay, so /account still shows what was revoked lately.
    expect(revoked.map((t) => t.name)).toEqual(Array.from({ length: API_TOKEN.maxRevokedKeptPerUser }, (_, i) => `loop ${rounds - 1 - i}`));
    expect(await getDb().apiToken.count({ where: { userId: owner.id, revokedAt: null } })).toBe(1);
    expect(await getDb().apiToken.count({ where: { userId: other.id } })).toBe(1);
  });

  it('guests cannot create tokens', async () => {
    actAs(null);
    expect(await createApiTokenAction({ status: 'idle' }, form({ name: 'x' }))).toMatchObject({ status: 'unauthorized' });
  });

  it('refuses a token name of spaces with the field it is about, and creates no token', async () => {
    const user = await makeUser();
    actAs(user);
    await expect(createApiTokenAction({ status: 'idle' }, form({ name: '   ' }))).resolves.toEqual({ status: 'invalid_data', field: 'name', message: 'Give the token a name' });
    expect(await getDb().apiToken.count({ where: { userId: user.id } })).toBe(0);
  });

  describe('errors are JSON with the right status', () => {
    it('400: no image field, a text field, malformed multipart, bad JSON, bad base64, an empty file, too many files', async () => {
      await expectError(await POST(multipartRequest([photos.cat], { field: 'file' })), 400, 'missing_field');
      await expectError(await POST(new Request('http://localhost/api/v1/predict', { method: 'POST', body: form({ image: 'not a file' }) })), 400, 'bad_request');
      const malformed = new Request('http://localhost/api/v1/predict', {
        method: 'POST',
        body: '--xyz\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\n\r\nunterminated',
        headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      });
      await expectError(await POST(malformed), 400, 'bad_request');
      // A body cut off right after a boundary (it once threw a RangeError: 500).
      for (const truncated of ['--xyz', '--xyz\r\nContent-Disposition: form-data; name="image"; filename="a.jpg"\r\n\r\nx\r\n--xyz']) {
        const request = new Request('http://localhost/api/v1/predict', { method: 'POST', body: truncated, headers: { 'content-type': 'multipart/form-data; boundary=xyz' } });
        await expectError(await POST(request), 400, 'bad_request');
      }
      await expectError(await POST(jsonRequest('{"instances": [')), 400, 'bad_request');
      await expectError(await POST(jsonRequest({ images: [] })), 400, 'missing_field');
      await expectError(await POST(jsonRequest({ instances: [] })), 400, 'missing_field');
      await expectError(await POST(jsonRequest({ instances: [{}] })), 400, 'missing_field');
      // Present but of the wrong type: malformed, not missing.
      await expectError(await POST(jsonRequest({ instances: 'x' })), 400, 'bad_request');
      await expectError(await POST(jsonRequest({ instances: [{ b64: 1 }] })), 400, 'bad_request');
      const badB64 = await expectError(await POST(jsonRequest({ instances: [{ b64: photos.cat.toString('base64') }, { b64: '***not base64***' }] })), 400, 'bad_request');
      expect(badB64.error.index).toBe(1);
      await expectError(await POST(multipartRequest([new Uint8Array(0)])), 400, 'empty_file');
      const tooMany = Array.from({ length: env.API_MAX_FILES + 1 }, () => photos.cat);
      await expectError(await POST(multipartRequest(tooMany)), 400, 'too_many_files');
      await expectError(await POST(jsonRequest({ instances: tooMany.map((b) => ({ b64: b.toString('base64') })) })), 400, 'too_many_files');
    });

    it('400 too_many_files for bodies of many tiny values or parts, counted before they are parsed', async () => {
      // 3 MB of {} would be a million objects; 6 MB of empty parts a hundred thousand part records.
      const emptyObjects = `{"instances":[${Array.from({ length: 1_000_000 }, () => '{}').join(',')}]}`;
      const manyValues = await expectError(await POST(jsonRequest(emptyObjects)), 400, 'too_many_files');
      expect(manyValues.error.message).toMatch(/at most \d+ JSON values/);
      const emptyPart = '--xyz\r\nContent-Disposition: form-data; name="x"\r\n\r\n\r\n';
      const manyParts = new Request('http://localhost/api/v1/predict', {
        method: 'POST',
        body: `${emptyPart.repeat(100_000)}--xyz--\r\n`,
        headers: { 'content-type': 'multipart/form-data; boundary=xyz', 'x-forwarded-for': '203.0.113.77' },
      });
      const parts = await expectError(await POST(manyParts), 400, 'too_many_files');
      expect(parts.error.message).toMatch(/in at most \d+ parts/);
      // A real request with a few fields of its own beside the images is still answered.
      await expectPredictions(await POST(jsonRequest({ signature_name: 'serving_default', instances: [{ b64: photos.dog.toString('base64'), key: 'a' }] })), ['dog']);
    });

    it('413: a declared body over the limit is refused before reading; a streamed one is cut off', async () => {
      const declared = new Request('http://localhost/api/v1/predict', {
        method: 'POST',
        body: 'x',
        headers: { 'content-type': 'application/json', 'content-length': String(100 * env.API_MAX_FILES * env.MAX_UPLOAD_BYTES) },
      });
      await expectError(await POST(declared), 413, 'payload_too_large');
      // A chunked body without Content-Length that never ends within the limit.
      let sent = 0;
      const chunk = new Uint8Array(1024 * 1024);
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const streamed = new Request('http://localhost/api/v1/predict', { method: 'POST', body: endless, duplex: 'half', headers: { 'content-type': 'application/json' } } as RequestInit);
      await expectError(await POST(streamed), 413, 'payload_too_large');
      expect(sent).toBeLessThan(2 * env.API_MAX_FILES * env.MAX_UPLOAD_BYTES);
      // One file over MAX_UPLOAD_BYTES in an otherwise small request.
      const big = new Uint8Array(env.MAX_UPLOAD_BYTES + 1);
      big.set(photos.cat);
      const oneBig = await expectError(await POST(multipartRequest([photos.cat, big])), 413, 'payload_too_large');
      expect(oneBig.error.index).toBe(1);
    });

    it('415: an unsupported request type, and files that are not a supported image (SVG, HEIC, text)', async () => {
      await expectError(await POST(new Request('http://localhost/api/v1/predict', { method: 'POST', body: new Uint8Array(photos.cat), headers: { 'content-type': 'image/jpeg' } })), 415, 'unsupported_media_type');
      const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
      await expectError(await POST(multipartRequest([svg])), 415, 'unsupported_format');
      const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(64)]);
      expect((await expectError(await POST(multipartRequest([heic])), 415, 'unsupported_format')).error.message).toMatch(/HEIC/);
      await expectError(await POST(jsonRequest({ instances: [{ b64: Buffer.from('hello, I am text').toString('base64') }] })), 415, 'unsupported_format');
    });

    it('422: a truncated JPEG, a decompression bomb and a thumbnail too small to classify; one bad image fails the request and stores nothing', async () => {
      const truncated = photos.cat.subarray(0, Math.floor(photos.cat.length / 2));
      await expectError(await POST(multipartRequest([truncated])), 422, 'corrupt_image');
      const bomb = pngHeaderOnly(30_000, 30_000);
      expect(30_000 * 30_000).toBeGreaterThan(env.MAX_IMAGE_PIXELS);
      await expectError(await POST(multipartRequest([bomb])), 422, 'too_many_pixels');
      const thumbnail = await sharp(photos.cat).resize(40).jpeg().toBuffer();
      expect((await expectError(await POST(multipartRequest([thumbnail])), 422, 'image_too_small')).error.message).toMatch(/40×\d+ pixels/);

      const owner = await makeUser();
      const token = await createToken(owner);
      const mixed = await expectError(await POST(multipartRequest([photos.cat, truncated], { headers: { authorization: `Bearer ${token}` } })), 422, 'corrupt_image');
      expect(mixed.error.index).toBe(1);
      expect(await getDb().prediction.count({ where: { userId: owner.id } })).toBe(0);
    });
  });
});

describe('GET /api/v1/health, /model, /openapi.json', () => {
  it('health: model loaded on CPU (with the reason CUDA was not used under auto), database reachable', async () => {
    const response = await health();
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; model: Record<string, unknown>; database: Record<string, unknown> };
    expect(body.status).toBe('ok');
    expect(body.model).toMatchObject({ loaded: true, executionProvider: 'cpu', error: null, workersReady: body.model.workers, workerRestarts: 0 });
    // Anyone may call health: it says CUDA was given up, never the library paths and driver text of why.
    if (env.INFERENCE_DEVICE === 'auto') expect(body.model.fallbackReason).toBe('CUDA could not be used; the reason is in the server log');
    else expect(body.model.fallbackReason).toBeNull();
    expect(body.database).toMatchObject({ reachable: true });
  });

  it('health: probes that arrive together share one database query', async () => {
    const queries = jest.spyOn(getDb(), '$queryRaw');
    try {
      const together = await Promise.all(Array.from({ length: 8 }, () => health()));
      expect(together.map((response) => response.status)).toEqual(Array(8).fill(200));
      expect(queries).toHaveBeenCalledTimes(1);
      // Once answered, the next probe asks again: a shared answer is never a cached one.
      expect((await health()).status).toBe(200);
      expect(queries).toHaveBeenCalledTimes(2);
    } finally {
      queries.mockRestore();
    }
  });

  it('model: the model card', async () => {
    const response = await model();
    expect(response.status).toBe(200);
    const card = (await response.json()) as { classes: string[]; input: { shape: unknown[] }; sha256: string };
    expect(card.classes).toEqual(['cat', 'dog', 'neither']);
    const [, side] = card.input.shape;
    expect(card.input.shape).toEqual(['batch', side, side, 3]);
    expect(side).toEqual(expect.any(Number));
    expect(card.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The whole card as committed, notes and all: nothing the schema does not name is dropped.
    expect(card).toEqual(servedCard);
  });

  it('openapi: an OpenAPI 3.1 document covering every endpoint, with schemas from the validators', async () => {
    const response = openapi();
    const doc = (await response.json()) as {
      openapi: string;
      info: { description: string };
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
      servers: { url: string }[];
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/' }]);
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/v1/health', '/api/v1/model', '/api/v1/openapi.json', '/api/v1/predict']);
    expect(Object.keys(doc.paths['/api/v1/predict']!.post!.responses).sort()).toEqual(['200', '400', '401', '408', '413', '415', '422', '429', '500', '503']);
    expect(doc.info.description).toMatch(/answered 405 \(code "method_not_allowed"\) with an Allow header/);
    expect(Object.keys(doc.components.schemas.PredictResponse!.properties!)).toEqual(['predictions', 'model', 'saved', 'notSaved']);
    expect(doc.components.schemas.PredictJsonRequest!.properties).toMatchObject({ instances: { minItems: 1, maxItems: Math.min(env.API_MAX_FILES, env.INFERENCE_MAX_IN_FLIGHT) } });
    // The headers the handlers send with these answers are declared with them.
    const headersOf = (path: string, method: string, status: string) => Object.keys((doc.paths[path]![method]!.responses[status] as { headers?: object }).headers ?? {});
    expect(headersOf('/api/v1/predict', 'post', '401')).toEqual(['WWW-Authenticate']);
    for (const status of ['429', '503']) expect(headersOf('/api/v1/predict', 'post', status)).toEqual(['Retry-After']);
    expect(headersOf('/api/v1/model', 'get', '503')).toEqual(['Retry-After']);
    // The card's schema is the one the server loads it with: every part of the card is named.
    expect(Object.keys(doc.components.schemas.ModelCard!.properties!)).toEqual(expect.arrayContaining(['file', 'bytes', 'preprocessing', 'training', 'metrics']));
    expect(doc.info.description).toMatch(/answered 404 \(code "not_found"\)/);
    // Every $ref resolves.
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[A-Za-z]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) expect(doc.components.schemas[ref.slice(22, -1)]).toBeDefined();
  });

  it('openapi: what the handlers answer, and a request they accept, validate against the document', async () => {
    const conforms = await openApiConformance();
    expect(conforms('ModelCard', await (await model()).json())).toBe('valid');
    expect(conforms('Health', await (await health()).json())).toBe('valid');
    const owner = await makeUser();
    const token = await createToken(owner);
    expect(conforms('PredictResponse', await (await POST(multipartRequest([photos.cat]))).json())).toBe('valid');
    expect(conforms('PredictResponse', await (await POST(multipartRequest([photos.dog], { headers: { authorization: `Bearer ${token}` } }))).json())).toBe('valid');
    expect(conforms('Error', await (await POST(jsonRequest({ instances: [] }))).json())).toBe('valid');
    // The handler strips fields a client adds (TensorFlow Serving clients send signature_name): the document allows them.
    const withExtras = { signature_name: 'serving_default', instances: [{ b64: photos.cat.toString('base64'), key: 'a' }] };
    expect((await POST(jsonRequest(withExtras))).status).toBe(200);
    expect(conforms('PredictJsonRequest', withExtras)).toBe('valid');
    // And the schemas are not so loose that anything passes.
    expect(conforms('PredictResponse', { predictions: [{ label: 'horse', confidence: 2 }] })).not.toBe('valid');
  });
});

describe('methods and paths the API does not answer', () => {
  const call = (handler: (request: Request) => Response, method: string, url = 'http://localhost/api/v1/predict') => handler(new Request(url, { method }));

  it('405 JSON with Allow for a method an endpoint does not take; OPTIONS names only the real ones', async () => {
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const) {
      const response = call(predictRoute[method], method);
      expect((await expectError(response, 405, 'method_not_allowed')).error.message).toBe(`${method} is not allowed here; this endpoint answers POST`);
      expect(response.headers.get('allow')).toBe('POST, OPTIONS');
    }
    for (const [path, route] of [['health', healthRoute], ['model', modelRoute], ['openapi.json', openapiRoute]] as const) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
        const response = call(route[method], method, `http://localhost/api/v1/${path}`);
        await expectError(response, 405, 'method_not_allowed');
        expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
      }
      const options = call(route.OPTIONS, 'OPTIONS');
      expect({ status: options.status, allow: options.headers.get('allow') }).toEqual({ status: 204, allow: 'GET, HEAD, OPTIONS' });
    }
    const options = call(predictRoute.OPTIONS, 'OPTIONS');
    expect({ status: options.status, allow: options.headers.get('allow') }).toEqual({ status: 204, allow: 'POST, OPTIONS' });
  });

  it('404 JSON for any other path under /api, with every method, naming the path and where the endpoints are listed', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const) {
      const body = await expectError(call(unknownApiPath[method], method, 'http://localhost/api/v2/predict?x=1'), 404, 'not_found');
      expect(body.error.message).toBe('There is no API endpoint at /api/v2/predict; the endpoints are listed in /api/v1/openapi.json');
    }
  });

  it('the refusals validate against the OpenAPI document', async () => {
    const conforms = await openApiConformance();
    expect(conforms('Error', await call(predictRoute.GET, 'GET').json())).toBe('valid');
    expect(conforms('Error', await call(unknownApiPath.GET, 'GET', 'http://localhost/api/nope').json())).toBe('valid');
  });
});
