/**
 * The owner-scoped query layer against the real test database, and the detail page built on it.
 */
import { randomUUID } from 'node:crypto';
import { renderToStaticMarkup } from 'react-dom/server';
import PredictionPage from '~/app/(app)/history/[id]/page';
import { disconnectDb, getDb } from '~/lib/server/db';
import {
  deletePredictionForUser,
  getPredictionForUser,
  getPredictionsByUserId,
  getPredictionThumbnailForUser,
  setPredictionFeedback,
} from '~/lib/server/queries/predictions';
import { actAs, makePrediction, makeUser } from './helpers';

// The signed-in user, for the detail page (actAs); the database behind it is real.
jest.mock('next-auth', () => ({ __esModule: true, ...jest.requireActual<object>('next-auth'), getServerSession: jest.fn() }));
// The prediction page reads the request's headers (the list it was opened from, for a sign-in's return): a request without any.
jest.mock('next/headers', () => ({ ...jest.requireActual<object>('next/headers'), headers: jest.fn(async () => new Headers()) }));
// Client components of the page use the router; rendering to a string has none.
jest.mock('next/navigation', () => ({ ...jest.requireActual<object>('next/navigation'), useRouter: () => ({ refresh: jest.fn(), push: jest.fn() }) }));

afterAll(() => disconnectDb());

describe('prediction queries', () => {
  it('lists only the owner’s predictions, newest first, with pagination', async () => {
    const owner = await makeUser();
    const other = await makeUser();
    const ids: string[] = [];
    for (const label of ['cat', 'dog', 'neither', 'cat', 'dog'] as const) ids.push((await makePrediction(owner.id, label)).id);
    await makePrediction(other.id, 'cat');

    const first = await getPredictionsByUserId({ userId: owner.id, pageSize: 2 });
    expect(first.total).toBe(5);
    expect(first.pageCount).toBe(3);
    expect(first.items.map((i) => i.id)).toEqual([ids[4], ids[3]]);
    const last = await getPredictionsByUserId({ userId: owner.id, pageSize: 2, page: 3 });
    expect(last.items.map((i) => i.id)).toEqual([ids[0]]);
    // The list never carries thumbnail bytes.
    expect(Object.keys(first.items[0]!)).not.toContain('thumbnail');

    const cats = await getPredictionsByUserId({ userId: owner.id, pageSize: 10, label: 'cat' });
    expect(cats.items.map((i) => i.id)).toEqual([ids[3], ids[0]]);
  });

  it('filters by feedback state: none, given, confirmed, corrected', async () => {
    const owner = await makeUser();
    const confirmed = await makePrediction(owner.id, 'cat');
    const corrected = await makePrediction(owner.id, 'dog');
    const none = await makePrediction(owner.id, 'neither');
    expect(await setPredictionFeedback({ id: confirmed.id, userId: owner.id, correctLabel: 'cat' })).toBe(true);
    expect(await setPredictionFeedback({ id: corrected.id, userId: owner.id, correctLabel: 'neither' })).toBe(true);

    const ids = async (feedback: 'none' | 'given' | 'confirmed' | 'corrected') =>
      (await getPredictionsByUserId({ userId: owner.id, pageSize: 10, feedback })).items.map((i) => i.id).sort();
    expect(await ids('none')).toEqual([none.id]);
    expect(await ids('given')).toEqual([confirmed.id, corrected.id].sort());
    expect(await ids('confirmed')).toEqual([confirmed.id]);
    expect(await ids('corrected')).toEqual([corrected.id]);
  });

  it('returns all probabilities in the detail view', async () => {
    const owner = await makeUser();
    const row = await makePrediction(owner.id, 'dog', { probabilities: { cat: 0.05, dog: 0.9, neither: 0.05 }, confidence: 0.9 });
    const detail = await getPredictionForUser({ id: row.id, userId: owner.id });
    expect(detail).toMatchObject({ id: row.id, label: 'dog', ownerLabel: null, modelName: 'test-model', executionProvider: 'cpu' });
    expect(detail!.pCat).toBeCloseTo(0.05, 5);
    expect(detail!.pDog).toBeCloseTo(0.9, 5);
    expect(detail!.pNeither).toBeCloseTo(0.05, 5);
  });

  it('gives another user nothing: no read, no thumbnail, no feedback, no delete', async () => {
    const owner = await makeUser();
    const intruder = await makeUser();
    const row = await makePrediction(owner.id, 'cat');

    expect(await getPredictionForUser({ id: row.id, userId: intruder.id })).toBeNull();
    expect(await getPredictionThumbnailForUser({ id: row.id, userId: intruder.id })).toBeNull();
    expect(await setPredictionFeedback({ id: row.id, userId: intruder.id, correctLabel: 'dog' })).toBe(false);
    expect(await deletePredictionForUser({ id: row.id, userId: intruder.id })).toBe(false);
    expect((await getPredictionsByUserId({ userId: intruder.id, pageSize: 10 })).total).toBe(0);

    const untouched = await getDb().prediction.findUniqueOrThrow({ where: { id: row.id } });
    expect(untouched).toMatchObject({ ownerLabel: null, correctLabel: null, feedbackAt: null });
  });

  it('deletes the row and its thumbnail for the owner', async () => {
    const owner = await makeUser();
    const row = await makePrediction(owner.id, 'cat');
    expect(await getPredictionThumbnailForUser({ id: row.id, userId: owner.id })).toBeInstanceOf(Uint8Array);
    expect(await deletePredictionForUser({ id: row.id, userId: owner.id })).toBe(true);
    expect(await getDb().prediction.count({ where: { id: row.id } })).toBe(0);
    expect(await deletePredictionForUser({ id: row.id, userId: owner.id })).toBe(false);
  });

  it('finds nothing for an unknown id', async () => {
    const owner = await makeUser();
    expect(await getPredictionForUser({ id: randomUUID(), userId: owner.id })).toBeNull();
  });

  it('rejects probabilities outside [0, 1] in the database itself', async () => {
    const owner = await makeUser();
    await expect(makePrediction(owner.id, 'cat', { confidence: 1.5 })).rejects.toThrow(/Prediction_probabilities_check/);
  });
});

describe('the detail page', () => {
  it('renders its feedback buttons disabled until the page’s script runs, so an early click is not lost unanswered', async () => {
    const owner = await makeUser();
    const prediction = await makePrediction(owner.id, 'cat');
    actAs(owner);
    const html = renderToStaticMarkup(await PredictionPage({ params: Promise.resolve({ id: prediction.id }), searchParams: Promise.resolve({}) }));
    expect(html).toMatch(/<fieldset[^>]*disabled=""[^>]*data-ready="false"[^>]*><legend[^>]*>Is this right\?<\/legend>/);
    expect(html).toContain('data-testid="feedback-confirm"');
  });

  it('goes back, and has a delete return, to the filtered list page it was opened from; other parameters are ignored', async () => {
    const owner = await makeUser();
    const prediction = await makePrediction(owner.id, 'cat');
    actAs(owner);
    const render = async (searchParams: Record<string, string | string[]>) =>
      renderToStaticMarkup(await PredictionPage({ params: Promise.resolve({ id: prediction.id }), searchParams: Promise.resolve(searchParams) }));

    const opened = await render({ label: 'cat', feedback: 'none', pageSize: '6', page: '3' });
    expect(opened).toContain('href="/history?label=cat&amp;feedback=none&amp;pageSize=6&amp;page=3">← Back to history</a>');
    expect(opened).toContain('<input type="hidden" name="list" value="label=cat&amp;feedback=none&amp;pageSize=6&amp;page=3"/>');

    const odd = await render({ label: ['cat', 'dog'], feedback: 'whatever', page: '-2', returnTo: 'https://elsewhere.test/' });
    expect(odd).toContain('href="/history">← Back to history</a>');
    expect(odd).toContain('<input type="hidden" name="list" value=""/>');
    expect(odd).not.toContain('elsewhere');
  });
});
