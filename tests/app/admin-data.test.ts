/**
 * The admin area with guests' kept uploads (predictions without an owner)
 * and its purges (/admin/data), against the real test database: the
 * dashboard, review queue, label action and CSV export work with owner-less
 * rows; the purge actions refuse guests and users and change nothing for
 * them, and for an admin remove exactly what they say with the counts the
 * database reported; deleting an account by email takes its predictions and
 * tokens and nobody else's, never the admin's own account or the last
 * admin. The session lookup and Next's cache revalidation are mocked.
 */
import { randomUUID } from 'node:crypto';
import { renderToStaticMarkup } from 'react-dom/server';
import { deleteUserAsAdminAction, purgeGuestPredictionsAction, purgePredictionsBeforeAction, setConfirmedLabelAction } from '~/app/admin/actions';
import AdminDataPage from '~/app/admin/data/page';
import { GET as exportCsv } from '~/app/admin/export.csv/route';
import AdminLayout from '~/app/admin/layout';
import ReviewQueuePage from '~/app/admin/review/page';
import type { AdminPurgeState } from '~/lib/admin-state';
import { disconnectDb, getDb } from '~/lib/server/db';
import { getDashboardStats, getReviewQueue } from '~/lib/server/queries/admin';
import { createApiToken, getUserByApiToken } from '~/lib/server/queries/api-tokens';
import { deleteUserByEmailInTransaction, type UserRecord } from '~/lib/server/queries/users';
import { toAdminFilters } from '~/lib/validations/admin';
import { actAs, form, holdings, insertRows, makeUser, type Row } from './helpers';

jest.mock('next-auth', () => ({ __esModule: true, ...jest.requireActual<object>('next-auth'), getServerSession: jest.fn() }));
jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));
// The request's headers, as proxy.ts passes them on: none of its own here.
jest.mock('next/headers', () => ({ headers: jest.fn(async () => new Headers()) }));

/** Every row this file writes carries a model version with this prefix, so it can clean up after itself. */
const PREFIX = `admin-data-${randomUUID()}`;
const idle: AdminPurgeState = { status: 'idle' };
// Far before anything the other suites write, so purging "before a day" here touches only these rows.
const LONG_AGO = new Date(Date.UTC(2001, 0, 10, 12));
const LATER_LONG_AGO = new Date(Date.UTC(2001, 6, 1, 12));

let people: Record<'user' | 'admin', UserRecord>;

beforeAll(async () => {
  people = { user: await makeUser('user'), admin: await makeUser('admin') };
});

afterAll(async () => {
  await getDb().prediction.deleteMany({ where: { modelVersion: { startsWith: PREFIX } } });
  await disconnectDb();
});

function as(role: 'guest' | 'user' | 'admin'): void {
  actAs(role === 'guest' ? null : people[role]);
}

const row = (overrides: Partial<Row> = {}): Row => ({ label: 'cat', correctLabel: null, confidence: 0.9, createdAt: new Date(), ...overrides });

async function idsOf(modelVersion: string, userId: string | null) {
  const rows = await getDb().prediction.findMany({ where: { modelVersion, userId }, select: { id: true }, orderBy: { id: 'asc' } });
  return rows.map((r) => r.id);
}

describe('owner-less (guest) rows in the admin area', () => {
  const version = `${PREFIX}-dashboard`;
  // Newest of all rows, so they lead the review queue's first page.
  const soon = () => new Date(Date.now() + 60_000);

  beforeAll(async () => {
    await insertRows([row({ label: 'cat', correctLabel: 'cat', createdAt: soon() }), row({ label: 'dog', correctLabel: 'cat', createdAt: soon() })], version, people.user.id);
    await insertRows(
      [row({ label: 'dog', correctLabel: 'dog', createdAt: soon() }), row({ label: 'cat', correctLabel: 'neither', createdAt: soon() }), row({ label: 'neither', confidence: 0.4, createdAt: soon() })],
      version,
      null,
    );
  });

  it('the dashboard counts them with everyone else’s', async () => {
    const stats = await getDashboardStats(toAdminFilters({ model: version }));
    expect(stats.overview).toMatchObject({ total: 5, withFeedback: 4, correct: 2 });
    expect(stats.confusion.cat).toEqual({ cat: 1, dog: 1, neither: 0 });
    expect(stats.confusion.neither).toEqual({ cat: 1, dog: 0, neither: 0 });
  });

  it('the review queue lists them marked as guest uploads, and an admin can label them', async () => {
    const guestIds = await idsOf(version, null);
    const userIds = await idsOf(version, people.user.id);
    const queue = await getReviewQueue({ kind: 'all', threshold: 0.7, pageSize: 10_000 });
    const mine = queue.items.filter((item) => item.modelVersion === version);
    // Misclassified or below 70 %: one user row and two guest rows.
    expect(mine.filter((item) => item.userId === null)).toHaveLength(2);
    expect(mine.filter((item) => item.userId === people.user.id)).toHaveLength(1);

    as('admin');
    const html = renderToStaticMarkup(await ReviewQueuePage({ searchParams: Promise.resolve({}) }));
    const card = (id: string) => new RegExp(`data-prediction-id="${id}"[\\s\\S]*?data-testid="review-status"`).exec(html)?.[0] ?? '';
    const shownGuests = guestIds.filter((id) => html.includes(id));
    expect(shownGuests).toHaveLength(2);
    for (const id of shownGuests) expect(card(id)).toContain('data-testid="review-guest"');
    for (const id of userIds.filter((id) => html.includes(id))) expect(card(id)).not.toContain('data-testid="review-guest"');

    const unlabelled = (await getDb().prediction.findFirstOrThrow({ where: { modelVersion: version, userId: null, correctLabel: null }, select: { id: true } })).id;
    await expect(setConfirmedLabelAction({ predictionId: unlabelled, correctLabel: 'dog' })).resolves.toMatchObject({ status: 'success' });
    // An admin's label, which no owner gave: the row has none of its own.
    expect(await getDb().prediction.findUniqueOrThrow({ where: { id: unlabelled }, select: { correctLabel: true, ownerLabel: true } })).toEqual({ correctLabel: 'dog', ownerLabel: null });
  });

  it('the CSV export has them with an empty user_id', async () => {
    as('admin');
    const response = await exportCsv(new Request(`http://localhost/admin/export.csv?model=${encodeURIComponent(version)}`));
    expect(response.status).toBe(200);
    const [header, ...body] = (await response.text()).split('\r\n').filter((line) => line !== '');
    const userColumn = header!.split(',').indexOf('user_id');
    const owners = body.map((line) => line.split(',')[userColumn]).sort();
    expect(owners).toEqual(['', '', '', people.user.id, people.user.id]);
  });
});

describe('/admin/data', () => {
  it('is for admins only, linked from the admin navigation, and shows what is stored', async () => {
    as('guest');
    await expect(AdminDataPage()).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;[a-z]+;\/login\?callbackUrl=%2Fadmin%2Fdata/) });
    as('user');
    await expect(AdminDataPage()).rejects.toMatchObject({ digest: expect.stringMatching(/^NEXT_REDIRECT;[a-z]+;\/;/) });
    as('admin');
    expect(renderToStaticMarkup(await AdminLayout({ children: null }))).toContain('href="/admin/data"');
    const html = renderToStaticMarkup(await AdminDataPage());
    const guests = await getDb().prediction.count({ where: { userId: null } });
    expect(html).toContain(`data-testid="data-guest-predictions" data-value="${guests}"`);
    for (const name of ['guests', 'before', 'user']) expect(html).toContain(`data-testid="purge-${name}-form"`);
  });
});

describe('purge actions', () => {
  const version = `${PREFIX}-purge`;
  let target: UserRecord;

  beforeAll(async () => {
    target = await makeUser();
    await insertRows([row({ createdAt: LONG_AGO }), row()], version, target.id);
    await insertRows([row({ createdAt: LONG_AGO }), row(), row({ createdAt: LATER_LONG_AGO })], version, null);
  });

  async function snapshot() {
    const db = getDb();
    return {
      guests: await db.prediction.count({ where: { userId: null } }),
      before2002: await db.prediction.count({ where: { createdAt: { lt: new Date('2002-01-01T00:00:00Z') } } }),
      target: await db.user.count({ where: { id: target.id } }),
      targetPredictions: await db.prediction.count({ where: { userId: target.id } }),
    };
  }

  it('refuse a guest (unauthorized) and a user (forbidden), and remove nothing', async () => {
    const before = await snapshot();
    expect(before.guests).toBeGreaterThanOrEqual(3);
    const attempts = [
      () => purgeGuestPredictionsAction(idle, form({ confirm: 'PURGE' })),
      () => purgePredictionsBeforeAction(idle, form({ confirm: 'PURGE', before: '2001-06-01' })),
      () => deleteUserAsAdminAction(idle, form({ confirm: 'PURGE', email: target.email })),
    ];
    for (const [role, status] of [['guest', 'unauthorized'], ['user', 'forbidden']] as const) {
      as(role);
      for (const attempt of attempts) await expect(attempt()).resolves.toMatchObject({ status });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuse without the typed confirmation or with a bad day, say which field is wrong, and remove nothing', async () => {
    const before = await snapshot();
    as('admin');
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const refused: [string, Promise<AdminPurgeState>, string][] = [
      ['no confirmation', purgeGuestPredictionsAction(idle, form({})), 'confirm'],
      ['lower case', purgeGuestPredictionsAction(idle, form({ confirm: 'purge' })), 'confirm'],
      ['wrong word', purgePredictionsBeforeAction(idle, form({ confirm: 'yes', before: '2001-06-01' })), 'confirm'],
      ['no day', purgePredictionsBeforeAction(idle, form({ confirm: 'PURGE' })), 'before'],
      ['not a day', purgePredictionsBeforeAction(idle, form({ confirm: 'PURGE', before: '2001-02-30' })), 'before'],
      ['a future day', purgePredictionsBeforeAction(idle, form({ confirm: 'PURGE', before: tomorrow })), 'before'],
      ['not an email', deleteUserAsAdminAction(idle, form({ confirm: 'PURGE', email: 'nobody' })), 'email'],
      ['no confirmation', deleteUserAsAdminAction(idle, form({ email: target.email })), 'confirm'],
    ];
    for (const [what, state, field] of refused) expect({ what, ...(await state) }).toEqual({ what, status: 'invalid_data', field, message: expect.any(String) });
    expect(await snapshot()).toEqual(before);
  });

  it('an admin purges everyone’s predictions before a day: exactly those rows, with the count', async () => {
    as('admin');
    const doomed = await getDb().prediction.count({ where: { createdAt: { lt: new Date('2001-06-01T00:00:00Z') } } });
    expect(doomed).toBeGreaterThanOrEqual(2);
    const state = await purgePredictionsBeforeAction(idle, form({ confirm: ' PURGE ', before: '2001-06-01' }));
    expect(state).toEqual({ status: 'success', message: `Removed ${doomed} predictions created before 2001-06-01 (UTC).`, predictions: doomed, apiTokens: 0, users: 0 });
    expect(await getDb().prediction.count({ where: { createdAt: { lt: new Date('2001-06-01T00:00:00Z') } } })).toBe(0);
    // The row from July 2001 and today's rows stay.
    const left = await getDb().prediction.findMany({ where: { modelVersion: version }, select: { userId: true, createdAt: true } });
    expect(left).toHaveLength(3);
    expect(left.filter((r) => r.createdAt.getTime() === LATER_LONG_AGO.getTime())).toEqual([{ userId: null, createdAt: LATER_LONG_AGO }]);
    expect(left.filter((r) => r.userId === target.id)).toHaveLength(1);
  });

  it('an admin purges every kept guest upload, and no user’s prediction', async () => {
    as('admin');
    const guests = await getDb().prediction.count({ where: { userId: null } });
    const users = await getDb().prediction.count({ where: { userId: { not: null } } });
    expect(guests).toBeGreaterThanOrEqual(2);
    const state = await purgeGuestPredictionsAction(idle, form({ confirm: 'PURGE' }));
    expect(state).toMatchObject({ status: 'success', predictions: guests, apiTokens: 0, users: 0 });
    expect(await getDb().prediction.count({ where: { userId: null } })).toBe(0);
    expect(await getDb().prediction.count({ where: { userId: { not: null } } })).toBe(users);
    // Nothing left: a second purge says so.
    await expect(purgeGuestPredictionsAction(idle, form({ confirm: 'PURGE' }))).resolves.toMatchObject({ status: 'success', predictions: 0, message: 'Removed 0 guest predictions.' });
  });
});

describe('deleting an account as an admin', () => {
  async function userWithData(predictions: number, tokens: number) {
    const user = await makeUser();
    await insertRows(Array.from({ length: predictions }, () => row()), `${PREFIX}-accounts`, user.id);
    const made: string[] = [];
    for (let i = 0; i < tokens; i++) made.push((await createApiToken({ userId: user.id, name: `t${i}` })).token);
    return { ...user, tokens: made };
  }

  it('takes the user, their predictions and tokens, and nobody else’s', async () => {
    const doomed = await userWithData(3, 2);
    const other = await userWithData(1, 1);
    const total = await getDb().prediction.count({ where: { modelVersion: `${PREFIX}-accounts` } });
    as('admin');
    const state = await deleteUserAsAdminAction(idle, form({ confirm: 'PURGE', email: `  ${doomed.email.toUpperCase()} ` }));
    expect(state).toEqual({ status: 'success', message: `Deleted ${doomed.email} with 3 predictions and 2 API tokens.`, predictions: 3, apiTokens: 2, users: 1 });
    expect(await holdings(doomed.id)).toEqual({ users: 0, predictions: 0, apiTokens: 0 });
    for (const token of doomed.tokens) await expect(getUserByApiToken(token)).resolves.toBeNull();
    expect(await holdings(other.id)).toEqual({ users: 1, predictions: 1, apiTokens: 1 });
    await expect(getUserByApiToken(other.tokens[0]!)).resolves.toMatchObject({ userId: other.id });
    expect(await getDb().prediction.count({ where: { modelVersion: `${PREFIX}-accounts` } })).toBe(total - 3);

    await expect(deleteUserAsAdminAction(idle, form({ confirm: 'PURGE', email: doomed.email }))).resolves.toMatchObject({ status: 'not_found', field: 'email' });
  });

  it('deletes another admin, but never the acting admin’s own account', async () => {
    const otherAdmin = await makeUser('admin');
    as('admin');
    expect(await deleteUserAsAdminAction(idle, form({ confirm: 'PURGE', email: people.admin.email }))).toEqual({ status: 'invalid_data', field: 'email', message: expect.stringMatching(/your own account/) });
    expect(await holdings(people.admin.id)).toMatchObject({ users: 1 });
    await expect(deleteUserAsAdminAction(idle, form({ confirm: 'PURGE', email: otherAdmin.email }))).resolves.toMatchObject({ status: 'success', users: 1 });
    expect(await holdings(otherAdmin.id)).toMatchObject({ users: 0 });
  });

  it('never deletes the last admin (an admin whose own account was demoted meanwhile, in a transaction rolled back afterwards)', async () => {
    const lastAdmin = await makeUser('admin');
    class RollBack extends Error {}
    await expect(
      getDb().$transaction(async (tx) => {
        // Every other admin, the acting one included, demoted: lastAdmin is the only one left.
        await tx.user.updateMany({ where: { role: 'admin', id: { not: lastAdmin.id } }, data: { role: 'user' } });
        await expect(deleteUserByEmailInTransaction(tx, { email: lastAdmin.email, actingAdminId: people.admin.id })).resolves.toEqual({ status: 'last_admin' });
        expect(await tx.user.count({ where: { id: lastAdmin.id } })).toBe(1);
        throw new RollBack();
      }),
    ).rejects.toBeInstanceOf(RollBack);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: people.admin.id } })).role).toBe('admin');
    expect(await holdings(lastAdmin.id)).toMatchObject({ users: 1 });
  });
});
