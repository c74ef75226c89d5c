/**
 * GUEST_RETENTION_DAYS against the real test database and the real model:
 * a guest's web upload is not stored with 0 (the default), and is stored
 * without an owner (thumbnail and answer, no metadata) with N > 0; nobody's
 * history, detail page, thumbnail, feedback or delete reaches such a row;
 * the upload page says what is kept; and the retention purge removes only
 * guests' rows older than the cutoff, at start and on its timer. The
 * setting is varied with jest.replaceProperty on the validated env, which
 * the action and the page read on every call. The session lookup and
 * Next's cache revalidation are mocked.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { renderToStaticMarkup } from 'react-dom/server';
import { classifyImageAction, deletePredictionAction, submitFeedbackAction } from '~/app/(app)/actions';
import PredictionPage from '~/app/(app)/history/[id]/page';
import { GET as userThumbnail } from '~/app/(app)/history/[id]/thumbnail/route';
import ClassifyPage from '~/app/(app)/page';
import { purgeExpiredGuestPredictions, startGuestRetention } from '~/lib/db/guest-retention';
import { env } from '~/lib/env';
import type { ClassifyState } from '~/lib/prediction-state';
import { disconnectDb, getDb } from '~/lib/server/db';
import { disposeInferenceService } from '~/lib/server/inference';
import {
  deletePredictionForUser,
  getPredictionForUser,
  getPredictionsByUserId,
  getPredictionThumbnailForUser,
  setPredictionFeedback,
} from '~/lib/server/queries/predictions';
import { actAs, expectCleanThumbnail, fileFrom, form, formWith, insertRows, makeUser, phoneLikeJpeg } from './helpers';
import { readSample } from '../fixtures/images';

jest.mock('next-auth', () => ({ __esModule: true, ...jest.requireActual<object>('next-auth'), getServerSession: jest.fn() }));
jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));
// The prediction page reads the request's headers (the list it was opened from, for a sign-in's return): a request without any.
jest.mock('next/headers', () => ({ ...jest.requireActual<object>('next/headers'), headers: jest.fn(async () => new Headers()) }));
// The upload page is rendered to HTML here without Next's app router, which useRouter needs (the uploader refreshes
// the page when its session has ended); the browser tests run it in the real router.
jest.mock('next/navigation', () => ({ ...jest.requireActual<object>('next/navigation'), useRouter: () => ({ refresh: jest.fn() }) }));

const DAY_MS = 86_400_000;

let cat: Buffer;

beforeAll(async () => {
  cat = await readSample('cat');
});

afterEach(() => jest.restoreAllMocks());

afterAll(async () => {
  await disposeInferenceService();
  await disconnectDb();
});

function keepGuestUploadsFor(days: number): void {
  jest.replaceProperty(env, 'GUEST_RETENTION_DAYS', days);
}

/**
 * The cat photo with a random JPEG comment (COM segment) after its start
 * marker: decoders skip comments, so the image is the same, but the sha256
 * is new and its rows can be told from every other upload of cat.0.jpg.
 */
function uniqueCat(): { bytes: Buffer; sha256: string } {
  const text = Buffer.from(randomUUID(), 'ascii');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(text.length + 2);
  const bytes = Buffer.concat([cat.subarray(0, 2), Buffer.from([0xff, 0xfe]), length, text, cat.subarray(2)]);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function expectSuccess(state: ClassifyState): Extract<ClassifyState, { status: 'success' }> {
  if (state.status !== 'success') throw new Error(`expected success, got ${state.status}: ${state.message}`);
  return state;
}

const guestRows = (where: { sha256?: string } = {}) => getDb().prediction.count({ where: { userId: null, ...where } });

describe('a guest’s web upload', () => {
  it('is not stored at all with GUEST_RETENTION_DAYS=0, the default', async () => {
    expect(env.GUEST_RETENTION_DAYS).toBe(0);
    const { bytes, sha256 } = uniqueCat();
    const before = { all: await getDb().prediction.count(), guests: await guestRows() };
    actAs(null);
    const state = expectSuccess(await classifyImageAction(formWith(fileFrom(bytes))));
    expect(state.prediction.label).toBe('cat');
    expect(state).toMatchObject({ saved: false, saveError: null, prediction: { id: null } });
    expect(await getDb().prediction.count({ where: { sha256 } })).toBe(0);
    expect({ all: await getDb().prediction.count(), guests: await guestRows() }).toEqual(before);
  });

  it('is stored without an owner, with the answer and a metadata-free thumbnail, when GUEST_RETENTION_DAYS > 0', async () => {
    keepGuestUploadsFor(7);
    const phone = await phoneLikeJpeg(cat);
    const sha256 = createHash('sha256').update(phone).digest('hex');
    // The same phone photo may already be stored by another test file (it is built deterministically): only rows this upload adds count.
    const earlier = (await getDb().prediction.findMany({ where: { sha256 }, select: { id: true } })).map((row) => row.id);
    actAs(null);
    const started = Date.now();
    const state = expectSuccess(await classifyImageAction(formWith(fileFrom(phone))));
    // The guest gets the answer, never the row's id: there is nothing they could do with it.
    expect(state).toMatchObject({ saved: false, saveError: null, prediction: { id: null, label: 'cat' } });

    const rows = await getDb().prediction.findMany({ where: { sha256, id: { notIn: earlier } } });
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.userId).toBeNull();
    expect(row.label).toBe(state.prediction.label);
    expect(row.confidence).toBeCloseTo(state.prediction.confidence, 6);
    expect({ cat: row.pCat, dog: row.pDog, neither: row.pNeither }).toEqual({
      cat: expect.closeTo(state.prediction.probabilities.cat, 6),
      dog: expect.closeTo(state.prediction.probabilities.dog, 6),
      neither: expect.closeTo(state.prediction.probabilities.neither, 6),
    });
    expect({ name: row.modelName, version: row.modelVersion, provider: row.executionProvider }).toEqual({
      name: state.prediction.model.name,
      version: state.prediction.model.version,
      provider: state.prediction.model.executionProvider,
    });
    expect(row.latencyMs).toBeGreaterThan(0);
    expect(row.correctLabel).toBeNull();
    expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(started - 1_000);
    await expectCleanThumbnail(row);

    // A signed-in user's upload of the same photo is still theirs.
    const user = await makeUser();
    actAs(user);
    const mine = expectSuccess(await classifyImageAction(formWith(fileFrom(phone))));
    expect(mine.saved).toBe(true);
    expect(await getDb().prediction.count({ where: { sha256, userId: user.id } })).toBe(1);
    expect(await guestRows({ sha256 })).toBe(1);
  });

  it('sent again with its card\'s key (a retry after a lost answer) is kept once, also when both arrive at once', async () => {
    keepGuestUploadsFor(7);
    actAs(null);
    const withKey = (bytes: Buffer, key: string) => form({ file: fileFrom(bytes), uploadKey: key });
    const first = uniqueCat();
    const key = randomBytes(16).toString('base64url');
    for (let attempt = 0; attempt < 2; attempt++) expectSuccess(await classifyImageAction(withKey(first.bytes, key)));
    expect(await guestRows({ sha256: first.sha256 })).toBe(1);
    const racing = uniqueCat();
    const racingKey = randomBytes(16).toString('base64url');
    const both = await Promise.all([classifyImageAction(withKey(racing.bytes, racingKey)), classifyImageAction(withKey(racing.bytes, racingKey))]);
    both.forEach((state) => expect(expectSuccess(state).prediction.id).toBeNull());
    expect(await guestRows({ sha256: racing.sha256 })).toBe(1);
    // Another photo under a key already used (a client reusing keys) is kept as its own row; and a signed-in user's
    // card with a guest's key is theirs.
    const other = uniqueCat();
    expectSuccess(await classifyImageAction(withKey(other.bytes, key)));
    expect(await guestRows({ sha256: other.sha256 })).toBe(1);
    const user = await makeUser();
    actAs(user);
    expect(expectSuccess(await classifyImageAction(withKey(first.bytes, key))).saved).toBe(true);
    expect(await getDb().prediction.count({ where: { sha256: first.sha256, userId: user.id } })).toBe(1);
  });

  it('from a page shown signed in whose session has ended since: answered, told it was not saved, never kept as a guest’s', async () => {
    keepGuestUploadsFor(7);
    const { bytes, sha256 } = uniqueCat();
    actAs(null);
    const state = expectSuccess(await classifyImageAction(form({ file: fileFrom(bytes), expectedUser: randomUUID() })));
    expect(state).toMatchObject({ saved: false, signedOut: true, prediction: { id: null, label: 'cat' } });
    expect(state.saveError).toMatch(/signed out, so this result was not saved/);
    // Sending it again would not help: signing in would.
    expect(state.saveRetryable).toBe(false);
    expect(await getDb().prediction.count({ where: { sha256 } })).toBe(0);
    // A real guest's upload of the same photo is still kept (the setting is on).
    expectSuccess(await classifyImageAction(formWith(fileFrom(bytes))));
    expect(await guestRows({ sha256 })).toBe(1);
  });

  it('bad uploads are not stored for a guest either', async () => {
    keepGuestUploadsFor(7);
    const before = await guestRows();
    actAs(null);
    for (const form of [formWith(fileFrom(Buffer.from('not really a photo'), 'cat.jpg')), formWith(fileFrom(cat.subarray(0, 2000)))]) {
      expect((await classifyImageAction(form)).status).toBe('invalid_data');
    }
    expect(await guestRows()).toBe(before);
  });
});

describe('a kept guest row is nobody’s', () => {
  it('no user’s history, detail page, thumbnail, feedback or delete reaches it; guests cannot either', async () => {
    keepGuestUploadsFor(7);
    const { bytes, sha256 } = uniqueCat();
    actAs(null);
    expectSuccess(await classifyImageAction(formWith(fileFrom(bytes))));
    const { id } = await getDb().prediction.findFirstOrThrow({ where: { sha256, userId: null }, select: { id: true } });

    const user = await makeUser();
    actAs(user);
    expectSuccess(await classifyImageAction(formWith(fileFrom(bytes))));
    const history = await getPredictionsByUserId({ userId: user.id, pageSize: 100 });
    expect(history.total).toBe(1);
    expect(history.items.map((item) => item.id)).not.toContain(id);
    await expect(getPredictionForUser({ id, userId: user.id })).resolves.toBeNull();
    await expect(getPredictionThumbnailForUser({ id, userId: user.id })).resolves.toBeNull();
    await expect(setPredictionFeedback({ id, userId: user.id, correctLabel: 'dog' })).resolves.toBe(false);
    await expect(deletePredictionForUser({ id, userId: user.id })).resolves.toBe(false);

    // Through the actions, the page and the route, as the user and as a guest.
    const deleteForm = form({ id });
    await expect(submitFeedbackAction({ predictionId: id, correctLabel: 'dog' })).resolves.toMatchObject({ status: 'not_found' });
    await expect(deletePredictionAction({ status: 'idle' }, deleteForm)).resolves.toMatchObject({ status: 'not_found' });
    await expect(PredictionPage({ params: Promise.resolve({ id }), searchParams: Promise.resolve({}) })).rejects.toMatchObject({ digest: expect.stringMatching(/NEXT_HTTP_ERROR_FALLBACK;404/) });
    expect((await userThumbnail(new Request('http://localhost/'), { params: Promise.resolve({ id }) })).status).toBe(404);
    actAs(null);
    await expect(submitFeedbackAction({ predictionId: id, correctLabel: 'dog' })).resolves.toMatchObject({ status: 'unauthorized' });
    await expect(deletePredictionAction({ status: 'idle' }, deleteForm)).resolves.toMatchObject({ status: 'unauthorized' });
    expect((await userThumbnail(new Request('http://localhost/'), { params: Promise.resolve({ id }) })).status).toBe(401);

    const row = await getDb().prediction.findUniqueOrThrow({ where: { id } });
    expect({ userId: row.userId, correctLabel: row.correctLabel }).toEqual({ userId: null, correctLabel: null });
  });
});

describe('the upload page', () => {
  async function render(): Promise<string> {
    return renderToStaticMarkup(await ClassifyPage({ searchParams: Promise.resolve({}) }));
  }

  it('tells a guest the truth for either setting', async () => {
    actAs(null);
    keepGuestUploadsFor(0);
    const off = await render();
    expect(off).toContain('As a guest nothing is stored.');
    expect(off).not.toMatch(/kept for/);
    keepGuestUploadsFor(7);
    const on = await render();
    expect(on).toContain('As a guest, a small thumbnail and the answer are kept for 7 days for quality review; nothing else.');
    expect(on).not.toContain('nothing is stored');
    keepGuestUploadsFor(1);
    expect(await render()).toContain('kept for 1 day for quality review');
    actAs(await makeUser());
    const signedIn = await render();
    expect(signedIn).toContain('Results are saved to your history');
    expect(signedIn).not.toMatch(/As a guest/);
  });
});

describe('the retention purge', () => {
  it('removes only guests’ rows older than the cutoff', async () => {
    const now = new Date();
    const cutoff = now.getTime() - 7 * DAY_MS;
    const user = await makeUser();
    const version = `retention-${randomUUID()}`;
    const row = (ms: number) => ({ label: 'cat' as const, correctLabel: null, confidence: 0.9, createdAt: new Date(ms) });
    // Guest rows other test files left behind that are already past the cutoff go too (the database is shared).
    const expiredElsewhere = await getDb().prediction.count({ where: { userId: null, createdAt: { lt: new Date(cutoff) } } });
    await insertRows([row(cutoff - 86_400_000), row(cutoff - 1)], version, null);
    await insertRows([row(cutoff), row(now.getTime() - 60_000)], version, null);
    await insertRows([row(cutoff - 30 * DAY_MS), row(cutoff - 1)], version, user.id);

    expect(await purgeExpiredGuestPredictions(getDb(), now, 7)).toBe(expiredElsewhere + 2);
    const left = await getDb().prediction.findMany({ where: { modelVersion: version }, select: { userId: true, createdAt: true }, orderBy: [{ userId: 'asc' }, { createdAt: 'asc' }] });
    expect(left.map((r) => [r.userId, r.createdAt.getTime()])).toEqual([
      [user.id, cutoff - 30 * DAY_MS],
      [user.id, cutoff - 1],
      [null, cutoff],
      [null, now.getTime() - 60_000],
    ]);
    // Nothing expired is left for a second run.
    expect(await purgeExpiredGuestPredictions(getDb(), now, 7)).toBe(0);

    // 0 days: every guest row made before now goes (turning retention off clears what was kept); users' rows stay.
    const guestsBefore = await getDb().prediction.count({ where: { userId: null, createdAt: { lt: now } } });
    expect(guestsBefore).toBeGreaterThanOrEqual(2);
    expect(await purgeExpiredGuestPredictions(getDb(), now, 0)).toBe(guestsBefore);
    expect(await getDb().prediction.count({ where: { userId: null, createdAt: { lt: now } } })).toBe(0);
    expect(await getDb().prediction.count({ where: { modelVersion: version, userId: user.id } })).toBe(2);
  });

  it('runs at start and then on its timer, logging how many rows it removed; a failed run is logged, not thrown', async () => {
    const version = `retention-timer-${randomUUID()}`;
    const old = (days: number) => ({ label: 'dog' as const, correctLabel: null, confidence: 0.8, createdAt: new Date(Date.now() - days * DAY_MS) });
    const count = () => getDb().prediction.count({ where: { modelVersion: version } });
    await insertRows([old(3), old(2)], version, null);
    const lines: string[] = [];
    const schedule = startGuestRetention({ getDb, days: 1, intervalMs: 100, log: (line) => lines.push(line) });
    try {
      await expect(schedule.firstRun).resolves.toBe(2);
      expect(lines[0]).toMatch(/removed 2 guest prediction\(s\) \(guest uploads are kept 1 day\(s\)\)/);
      expect(await count()).toBe(0);
      // A row that expires later is taken by a later tick.
      await insertRows([old(5)], version, null);
      const deadline = Date.now() + 10_000;
      while ((await count()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await count()).toBe(0);
      expect(lines.some((line) => /removed 1 guest prediction/.test(line))).toBe(true);
    } finally {
      schedule.stop();
    }

    const failing = startGuestRetention({
      getDb: () => {
        throw new Error('database unreachable');
      },
      days: 1,
      log: (line) => lines.push(line),
    });
    failing.stop();
    await expect(failing.firstRun).resolves.toBe(0);
    expect(lines.at(-1)).toMatch(/purge failed and will be retried: database unreachable/);
  });
});
