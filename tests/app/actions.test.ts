/**
 * Server actions as plain async functions, against the real test database
 * and the real model. Only the session lookup is mocked (to be a given user)
 * and Next's cache revalidation (it needs a request scope).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { getServerSession } from 'next-auth';
import { classifyImageAction, deletePredictionAction, submitFeedbackAction } from '~/app/(app)/actions';
import { env } from '~/lib/env';
import type { ClassifyState } from '~/lib/prediction-state';
import { disposeInferenceService } from '~/lib/server/inference';
import { disconnectDb, getDb } from '~/lib/server/db';
import { actAs, expectCleanThumbnail, fileFrom, form, formWith, makePrediction, makeUser, phoneLikeJpeg, withLoggedErrors } from './helpers';
import { readSamples, type SAMPLE_PHOTOS } from '../fixtures/images';

jest.mock('next-auth', () => ({ __esModule: true, ...jest.requireActual<object>('next-auth'), getServerSession: jest.fn() }));
jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));

let photos: Record<keyof typeof SAMPLE_PHOTOS, Buffer>;

beforeAll(async () => {
  photos = await readSamples();
});

afterAll(async () => {
  await disposeInferenceService();
  await disconnectDb();
});

function expectSuccess(state: ClassifyState): Extract<ClassifyState, { status: 'success' }> {
  if (state.status !== 'success') throw new Error(`expected success, got ${state.status}: ${state.message}`);
  return state;
}

async function countFor(userId: string) {
  return getDb().prediction.count({ where: { userId } });
}

describe('classifyImageAction', () => {
  it.each(['cat', 'dog', 'neither'] as const)('classifies a real %s photo for a guest and stores nothing', async (kind) => {
    actAs(null);
    const before = await getDb().prediction.count();
    const state = expectSuccess(await classifyImageAction(formWith(fileFrom(photos[kind]))));
    expect(state.prediction.label).toBe(kind);
    expect(state.prediction.id).toBeNull();
    expect(state.saved).toBe(false);
    const { cat, dog, neither } = state.prediction.probabilities;
    expect(cat + dog + neither).toBeCloseTo(1, 5);
    expect(state.prediction.confidence).toBe(state.prediction.probabilities[kind]);
    expect(state.prediction.timings.inferenceMs).toBeGreaterThan(0);
    expect(await getDb().prediction.count()).toBe(before);
  });

  it('a card sent again with its upload key (a retry after a lost answer) is stored once, also when both arrive at once', async () => {
    const user = await makeUser();
    actAs(user);
    const withKey = (key: string) => form({ file: fileFrom(photos.dog), uploadKey: key });
    const key = randomBytes(16).toString('base64url');
    const first = expectSuccess(await classifyImageAction(withKey(key)));
    expect(first.prediction.correctLabel).toBeNull();
    // Meanwhile, in another tab, the stored row got feedback: the retry's card shows it.
    await expect(submitFeedbackAction({ predictionId: first.prediction.id!, correctLabel: 'cat' })).resolves.toEqual({ status: 'success', correctLabel: 'cat' });
    const again = expectSuccess(await classifyImageAction(withKey(key)));
    expect(first.saved && again.saved).toBe(true);
    expect(again.prediction.id).toBe(first.prediction.id);
    expect(again.prediction.correctLabel).toBe('cat');
    expect(await countFor(user.id)).toBe(1);
    // Two tries of one card racing: one row, both answered with it.
    const racing = randomBytes(16).toString('base64url');
    const both = (await Promise.all([classifyImageAction(withKey(racing)), classifyImageAction(withKey(racing))])).map(expectSuccess);
    expect(both[0]!.prediction.id).toBe(both[1]!.prediction.id);
    expect(await countFor(user.id)).toBe(2);
    // A different photo under a key already used (a client reusing keys) is its own row.
    const reused = withKey(key);
    reused.set('file', fileFrom(photos.cat));
    const otherPhoto = expectSuccess(await classifyImageAction(reused));
    expect(otherPhoto.prediction.id).not.toBe(first.prediction.id);
    expect(otherPhoto.prediction.label).toBe('cat');
    expect(await countFor(user.id)).toBe(3);
    // Another user's card with the same key is theirs, and a malformed key is ignored (stored without one).
    const other = await makeUser();
    actAs(other);
    expect(expectSuccess(await classifyImageAction(withKey(key))).prediction.id).not.toBe(first.prediction.id);
    const malformed = [expectSuccess(await classifyImageAction(withKey('short'))), expectSuccess(await classifyImageAction(withKey('short')))];
    expect(malformed[0]!.prediction.id).not.toBe(malformed[1]!.prediction.id);
    expect(await countFor(other.id)).toBe(3);
  });

  it('a photo added for one account, or for a guest, is saved to no history when another account has signed in since', async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const added = (user: { id: string }) => form({ file: fileFrom(photos.dog), expectedUser: user.id });
    // Alice's queue is still being sent when Bob signs in in another tab of the same browser.
    actAs(bob);
    const state = expectSuccess(await classifyImageAction(added(alice)));
    expect(state).toMatchObject({ saved: false, signedOut: true, saveRetryable: false, prediction: { id: null, label: 'dog' } });
    expect(state.saveError).toMatch(/someone else has signed in since this photo was added/i);
    expect([await countFor(alice.id), await countFor(bob.id)]).toEqual([0, 0]);
    // A page shown to a guest ('') whose photos were still queued when Bob signed in: not Bob's either.
    const fromGuestPage = form({ file: fileFrom(photos.dog), expectedUser: '' });
    const guestPageState = expectSuccess(await classifyImageAction(fromGuestPage));
    expect(guestPageState).toMatchObject({ saved: false, signedOut: true, prediction: { id: null } });
    // Not "someone else": from a guest's page it may well be the uploader who signed in.
    expect(guestPageState.saveError).toMatch(/^This browser signed in to an account after this photo was added/);
    expect(await countFor(bob.id)).toBe(0);
    // Bob's own photos are his.
    expect(expectSuccess(await classifyImageAction(added(bob))).saved).toBe(true);
    expect(await countFor(bob.id)).toBe(1);
  });

  it('stores a signed-in user’s prediction with a small metadata-free WebP thumbnail', async () => {
    const user = await makeUser();
    actAs(user);
    const phone = await phoneLikeJpeg(photos.cat);

    const state = expectSuccess(await classifyImageAction(formWith(fileFrom(phone))));
    expect(state.saved).toBe(true);
    expect(state.prediction.id).toEqual(expect.any(String));

    const row = await getDb().prediction.findUniqueOrThrow({ where: { id: state.prediction.id! } });
    expect(row.userId).toBe(user.id);
    expect(row.label).toBe(state.prediction.label);
    expect(row.pCat + row.pDog + row.pNeither).toBeCloseTo(1, 4);
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    const card = JSON.parse(await readFile(env.MODEL_CARD_PATH, 'utf8')) as { name: string; version: string };
    expect([row.modelName, row.modelVersion]).toEqual([card.name, card.version]);
    expect(row.executionProvider).toBe('cpu');
    await expectCleanThumbnail(row);
  });

  it('answers bad input with a message and stores nothing', async () => {
    const user = await makeUser();
    actAs(user);
    const cases: [string, FormData, RegExp][] = [
      ['a missing field', formWith(null), /choose an image/i],
      ['a text field instead of a file', formWith('hello'), /choose an image/i],
      ['an empty file', formWith(fileFrom(new Uint8Array(0))), /empty/i],
      ['text named .jpg', formWith(fileFrom(Buffer.from('not really a photo'), 'cat.jpg')), /not supported|not an image/i],
      ['a truncated JPEG', formWith(fileFrom(photos.cat.subarray(0, 2000))), /damaged|incomplete/i],
      ['a file over the size limit', formWith(fileFrom(new Uint8Array(env.MAX_UPLOAD_BYTES + 1))), /larger than/i],
      [
        'an SVG with a script',
        formWith(fileFrom(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'x.svg', 'image/svg+xml')),
        /not supported|not an image/i,
      ],
    ];
    for (const [what, form, message] of cases) {
      const state = await classifyImageAction(form);
      expect({ what, status: state.status }).toEqual({ what, status: 'invalid_data' });
      if (state.status === 'invalid_data') expect(state.message).toMatch(message);
    }
    expect(await countFor(user.id)).toBe(0);
  });
});

describe('submitFeedbackAction', () => {
  it('stores the owner’s confirmation or correction, and nothing for anyone else', async () => {
    const owner = await makeUser();
    const intruder = await makeUser();
    actAs(owner);
    const { prediction } = expectSuccess(await classifyImageAction(formWith(fileFrom(photos.dog))));
    const id = prediction.id!;

    expect(await submitFeedbackAction({ predictionId: id, correctLabel: 'neither' })).toEqual({ status: 'success', correctLabel: 'neither' });
    let row = await getDb().prediction.findUniqueOrThrow({ where: { id } });
    expect([row.ownerLabel, row.correctLabel]).toEqual(['neither', 'neither']);
    expect(row.feedbackAt).toBeInstanceOf(Date);

    actAs(intruder);
    expect((await submitFeedbackAction({ predictionId: id, correctLabel: 'cat' })).status).toBe('not_found');
    actAs(null);
    expect((await submitFeedbackAction({ predictionId: id, correctLabel: 'cat' })).status).toBe('unauthorized');
    actAs(owner);
    expect(await submitFeedbackAction({ predictionId: id, correctLabel: 'lion' })).toEqual({ status: 'invalid_data', message: 'That is not a valid label.' });
    // A malformed id is not blamed on the label.
    expect(await submitFeedbackAction({ predictionId: 'not-a-uuid', correctLabel: 'cat' })).toEqual({ status: 'invalid_data', message: 'Unknown prediction.' });
    expect((await submitFeedbackAction({ predictionId: randomUUID(), correctLabel: 'cat' })).status).toBe('not_found');

    row = await getDb().prediction.findUniqueOrThrow({ where: { id } });
    expect([row.ownerLabel, row.correctLabel]).toEqual(['neither', 'neither']);
  });

  it('a session that cannot be read is refused without blaming the database, logged on the server, and changes nothing', async () => {
    const owner = await makeUser();
    actAs(owner);
    const prediction = await makePrediction(owner.id, 'cat');
    jest.mocked(getServerSession).mockRejectedValueOnce(new Error('JWT could not be decrypted'));
    const { result: refused, logged } = await withLoggedErrors(() => submitFeedbackAction({ predictionId: prediction.id, correctLabel: 'dog' }));
    expect(logged).toEqual([['[petlens] checking the session:', expect.objectContaining({ message: 'JWT could not be decrypted' })]]);
    expect(refused).toEqual({ status: 'failed', message: expect.stringMatching(/could not be checked; nothing was changed/) });
    expect((await getDb().prediction.findUniqueOrThrow({ where: { id: prediction.id } })).correctLabel).toBeNull();
  });
});

describe('deletePredictionAction', () => {
  it('lets only the owner delete, then redirects to the history', async () => {
    const owner = await makeUser();
    const intruder = await makeUser();
    actAs(owner);
    const id = expectSuccess(await classifyImageAction(formWith(fileFrom(photos.cat)))).prediction.id!;
    const deleteForm = form({ id });

    actAs(intruder);
    expect((await deletePredictionAction({ status: 'idle' }, deleteForm)).status).toBe('not_found');
    actAs(null);
    expect((await deletePredictionAction({ status: 'idle' }, deleteForm)).status).toBe('unauthorized');
    expect(await getDb().prediction.count({ where: { id } })).toBe(1);

    actAs(owner);
    // redirect() throws Next's redirect signal after a successful delete.
    await expect(deletePredictionAction({ status: 'idle' }, deleteForm)).rejects.toMatchObject({ digest: expect.stringContaining('/history?deleted=1') });
    expect(await getDb().prediction.count({ where: { id } })).toBe(0);
    // Again, as from a second tab still showing it: not_found, saying why.
    await expect(deletePredictionAction({ status: 'idle' }, deleteForm)).resolves.toEqual({
      status: 'not_found',
      message: 'That prediction is no longer in your history: it may have been deleted in another tab or window.',
    });
  });

  it('goes back to the list page the prediction was opened from, taking nothing else from its list field', async () => {
    const owner = await makeUser();
    actAs(owner);
    const deleteWith = async (list: string) => {
      const id = expectSuccess(await classifyImageAction(formWith(fileFrom(photos.cat)))).prediction.id!;
      return deletePredictionAction({ status: 'idle' }, form({ id, list }));
    };
    await expect(deleteWith('label=cat&feedback=none&pageSize=6&page=3')).rejects.toMatchObject({
      digest: expect.stringContaining(';/history?label=cat&feedback=none&pageSize=6&page=3&deleted=1;'),
    });
    for (const hostile of ['https://elsewhere.test/', '//elsewhere.test', '/account?page=2', 'page=2&next=https://elsewhere.test']) {
      await expect(deleteWith(hostile)).rejects.toMatchObject({ digest: expect.stringMatching(/;\/history\?(page=2&)?deleted=1;/) });
    }
  });
});
