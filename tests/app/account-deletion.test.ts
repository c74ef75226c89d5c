/**
 * Deleting an account from /account: the confirmation, then the user, their
 * predictions (with thumbnails) and API tokens are gone, the session cookies
 * are expired, and nobody else's data is touched. Real database and model;
 * the session lookup, cookies and cache revalidation are mocked.
 */
import { cookies } from 'next/headers';
import { classifyImageAction } from '~/app/(app)/actions';
import { deleteAccountAction } from '~/app/(app)/account/actions';
import type { DeleteAccountState } from '~/lib/account-state';
import { disconnectDb, getDb } from '~/lib/server/db';
import { checkAdmin, getCurrentUser } from '~/lib/server/auth';
import { disposeInferenceService } from '~/lib/server/inference';
import { createApiToken, getUserByApiToken } from '~/lib/server/queries/api-tokens';
import { deleteUserAccount, type UserRecord } from '~/lib/server/queries/users';
import { actAs, fileFrom, form, formWith, holdings, makeUser, withOnlyAdmins } from './helpers';
import { readSample } from '../fixtures/images';

jest.mock('next-auth', () => ({ __esModule: true, ...jest.requireActual<object>('next-auth'), getServerSession: jest.fn() }));
jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));
jest.mock('next/headers', () => ({ cookies: jest.fn(), headers: jest.fn().mockRejectedValue(new Error('no request')) }));

const idle: DeleteAccountState = { status: 'idle' };
const cookieSet = jest.fn();

beforeEach(() => {
  cookieSet.mockClear();
  jest.mocked(cookies).mockResolvedValue({ set: cookieSet } as never);
});

afterAll(async () => {
  await disposeInferenceService();
  await disconnectDb();
});

function confirmWith(password: string): FormData {
  return form({ currentPassword: password });
}

/** A user with two stored predictions (real uploads) and two active API tokens. */
async function userWithData(cat: Buffer): Promise<UserRecord & { password: string; tokens: string[] }> {
  const user = await makeUser();
  actAs(user);
  for (let i = 0; i < 2; i++) expect((await classifyImageAction(formWith(fileFrom(cat)))).status).toBe('success');
  const tokens = [(await createApiToken({ userId: user.id, name: 'one' })).token, (await createApiToken({ userId: user.id, name: 'two' })).token];
  return { ...user, tokens };
}

describe('deleteAccountAction', () => {
  it('deletes the user, their predictions, thumbnails and tokens, ends the session, and leaves everyone else alone', async () => {
    const cat = await readSample('cat');
    const other = await userWithData(cat);
    const me = await userWithData(cat);
    const otherBefore = await getDb().prediction.findMany({ where: { userId: other.id }, select: { id: true, thumbnail: true }, orderBy: { id: 'asc' } });
    const totalBefore = await getDb().prediction.count();
    expect(await holdings(me.id)).toEqual({ users: 1, predictions: 2, apiTokens: 2 });

    actAs(me);
    // Success is a redirect home (Next's redirect() throws it).
    await expect(deleteAccountAction(idle, confirmWith(me.password))).rejects.toMatchObject({
      digest: expect.stringContaining('/?account=deleted'),
    });

    expect(await holdings(me.id)).toEqual({ users: 0, predictions: 0, apiTokens: 0 });
    for (const token of me.tokens) await expect(getUserByApiToken(token)).resolves.toBeNull();
    expect(await getDb().prediction.count()).toBe(totalBefore - 2);
    // The other user is untouched, thumbnails included.
    expect(await holdings(other.id)).toEqual({ users: 1, predictions: 2, apiTokens: 2 });
    expect(await getDb().prediction.findMany({ where: { userId: other.id }, select: { id: true, thumbnail: true }, orderBy: { id: 'asc' } })).toEqual(otherBefore);
    await expect(getUserByApiToken(other.tokens[0]!)).resolves.toMatchObject({ userId: other.id });

    // The session cookie is expired in the response.
    expect(cookieSet).toHaveBeenCalledWith('next-auth.session-token', '', expect.objectContaining({ maxAge: 0, httpOnly: true, path: '/' }));

    // A session that outlives the account (another tab, another device) is
    // signed out at its next request: it classifies as a guest, nothing stored.
    actAs(me);
    expect(await getCurrentUser()).toBeNull();
    const stale = await classifyImageAction(formWith(fileFrom(cat)));
    expect(stale).toMatchObject({ status: 'success', saved: false, saveError: null });
    expect(await holdings(me.id)).toEqual({ users: 0, predictions: 0, apiTokens: 0 });
  }, 60_000);

  it('refuses without the password (an open session alone is not enough), and deletes nothing', async () => {
    const me = await makeUser();
    const other = await makeUser();
    actAs(me);
    // Someone else's password, a near miss, the email address: not this account's password.
    for (const typed of [other.password, `${me.password} `, me.email, 'x'.repeat(10_000)]) {
      expect(await deleteAccountAction(idle, confirmWith(typed))).toEqual({ status: 'invalid_data', field: 'currentPassword', message: 'That is not your password. Nothing was removed.' });
    }
    for (const empty of [confirmWith(''), new FormData()]) {
      expect(await deleteAccountAction(idle, empty)).toEqual({ status: 'invalid_data', field: 'currentPassword', message: expect.stringMatching(/Enter your password/) });
    }
    expect(await holdings(me.id)).toMatchObject({ users: 1 });
    expect(await holdings(other.id)).toMatchObject({ users: 1 });
    expect(cookieSet).not.toHaveBeenCalled();
  });

  it('a guest cannot delete anything', async () => {
    const someone = await makeUser();
    actAs(null);
    expect(await deleteAccountAction(idle, confirmWith(someone.password))).toMatchObject({ status: 'unauthorized' });
    expect(await holdings(someone.id)).toMatchObject({ users: 1 });
  });

  it('refuses the last admin, who would leave nobody able to open the admin area, and deletes nothing', async () => {
    const admin = await makeUser('admin');
    await withOnlyAdmins([admin.id], async () => {
      actAs(admin);
      expect(await deleteAccountAction(idle, confirmWith(admin.password))).toEqual({ status: 'invalid_data', message: expect.stringMatching(/only admin/) });
      expect(await holdings(admin.id)).toMatchObject({ users: 1 });
      expect(cookieSet).not.toHaveBeenCalled();
    });
    // With another admin about, the same request goes through.
    await makeUser('admin');
    actAs(admin);
    await expect(deleteAccountAction(idle, confirmWith(admin.password))).rejects.toMatchObject({ digest: expect.stringContaining('/?account=deleted') });
    expect(await holdings(admin.id)).toMatchObject({ users: 0 });
  });

  it('two last admins deleting their own accounts at the same moment: one is deleted, the other kept', async () => {
    const first = await makeUser('admin');
    const second = await makeUser('admin');
    await withOnlyAdmins([first.id, second.id], async () => {
      const outcomes = await Promise.all([deleteUserAccount({ id: first.id }), deleteUserAccount({ id: second.id })]);
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['deleted', 'last_admin']);
      expect(await getDb().user.count({ where: { id: { in: [first.id, second.id] } } })).toBe(1);
    });
  });

  it('a role change takes effect at the next request, not at the JWT expiry', async () => {
    const admin = await makeUser('admin');
    actAs(admin);
    expect(await checkAdmin()).toMatchObject({ status: 'ok' });
    await getDb().user.update({ where: { id: admin.id }, data: { role: 'user' } });
    actAs(admin); // the token still says "admin"
    expect(await checkAdmin()).toEqual({ status: 'forbidden' });
  });
});
