/**
 * Changing the password and "sign out everywhere else" on /account: the
 * account's session version goes up, every session token issued before stops
 * working, and the browser that made the change gets its token re-issued and
 * stays signed in. Real database, real next-auth JWTs (encoded and decoded
 * with the app's secret) and the app's own auth callbacks; only the request's
 * cookie jar and next-auth's cookie lookup (getServerSession reads the jar's
 * token through the app's callbacks) stand in for a browser.
 */
import { randomUUID } from 'node:crypto';
import { getServerSession, type Session, type User } from 'next-auth';
import { decode, encode, type JWT } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { changePasswordAction, createApiTokenAction, deleteAccountAction, endOtherSessionsAction, revokeApiTokenAction } from '~/app/(app)/account/actions';
import { classifyImageAction, deletePredictionAction, submitFeedbackAction } from '~/app/(app)/actions';
import { GET as nextAuthRoute } from '~/app/api/auth/[...nextauth]/route';
import { GET as userThumbnail } from '~/app/(app)/history/[id]/thumbnail/route';
import { GET as exportCsv } from '~/app/admin/export.csv/route';
import { GET as adminThumbnail } from '~/app/admin/predictions/[id]/thumbnail/route';
import type { ChangePasswordState } from '~/lib/account-state';
import { authOptions, answerSessionEndpointAsGuest, getCurrentUser, requireUser, SESSION_UNCHECKED } from '~/lib/server/auth';
import { env } from '~/lib/env';
import { SIGN_IN_RATE_LIMITED } from '~/lib/config';
import { disconnectDb, getDb } from '~/lib/server/db';
import { disposeInferenceService } from '~/lib/server/inference';
import { hashPassword, verifyPassword } from '~/lib/server/password';
import { createApiToken } from '~/lib/server/queries/api-tokens';
import { recordEndedSession } from '~/lib/server/queries/sessions';
import { endUserSessions, getSessionAccountById } from '~/lib/server/queries/users';
import { resetRateLimits } from '~/lib/server/rate-limits';
import { readSample } from '../fixtures/images';
import { actAs, fileFrom, form, makePrediction, makeUser, withLoggedErrors } from './helpers';
import { authorize } from './credentials';

jest.mock('next-auth', () => ({ __esModule: true, ...jest.requireActual<object>('next-auth'), getServerSession: jest.fn() }));
jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));
jest.mock('next/headers', () => ({ cookies: jest.fn(), headers: jest.fn().mockRejectedValue(new Error('no request')) }));
// The real account lookup, wrapped so that one test can make it fail (a pool timeout while the database is busy).
jest.mock('~/lib/server/queries/users', () => {
  const actual = jest.requireActual<typeof import('~/lib/server/queries/users')>('~/lib/server/queries/users');
  return { ...actual, getSessionAccountById: jest.fn(actual.getSessionAccountById) };
});
// The real record of a sign-out, wrapped so that one test can make it fail.
jest.mock('~/lib/server/queries/sessions', () => {
  const actual = jest.requireActual<typeof import('~/lib/server/queries/sessions')>('~/lib/server/queries/sessions');
  return { ...actual, recordEndedSession: jest.fn(actual.recordEndedSession) };
});
// The real hash, wrapped so that one test can land a change from another session while the action hashes.
jest.mock('~/lib/server/password', () => {
  const actual = jest.requireActual<typeof import('~/lib/server/password')>('~/lib/server/password');
  return { ...actual, hashPassword: jest.fn(actual.hashPassword) };
});

const SECRET = process.env.NEXTAUTH_SECRET!;
const COOKIE = authOptions.cookies!.sessionToken!.name;
const NEW_PASSWORD = 'a brand new passphrase';
const idle: ChangePasswordState = { status: 'idle' };

/** One browser's cookie jar: what the server reads from the request and what the response sets. */
class Browser {
  readonly jar = new Map<string, { value: string; maxAge?: number; expires?: Date }>();
  constructor(sessionToken?: string) {
    if (sessionToken) this.jar.set(COOKIE, { value: sessionToken });
  }
  get token(): string | undefined {
    return this.jar.get(COOKIE)?.value || undefined;
  }
  /** The next server calls run as a request from this browser. */
  use(): void {
    jest.mocked(cookies).mockResolvedValue({
      get: (name: string) => (this.jar.has(name) ? { name, value: this.jar.get(name)!.value } : undefined),
      getAll: () => [...this.jar].map(([name, { value }]) => ({ name, value })),
      set: (name: string, value: string, options: { maxAge?: number; expires?: Date }) => void this.jar.set(name, { value, ...options }),
    } as never);
    jest.mocked(getServerSession).mockImplementation(async () => sessionFrom(this.token));
  }
}

/** What next-auth's getServerSession does with the cookie: decode it and run the app's session callback. */
async function sessionFrom(sessionToken: string | undefined): Promise<Session | null> {
  const token = sessionToken ? await decode({ token: sessionToken, secret: SECRET }) : null;
  if (!token) return null;
  const session = { user: { email: token.email as string }, expires: new Date(Date.now() + 3_600_000).toISOString() } as Session;
  return (await authOptions.callbacks!.session!({ session, token, user: undefined as never, newSession: undefined, trigger: 'update' })) as Session;
}

/** Signing in through the credentials provider and the app's jwt callback: a new browser holding the token. */
async function signIn(email: string, password: string): Promise<Browser> {
  const user = (await authorize({ email, password })) as User | null;
  if (!user) throw new Error(`sign-in refused for ${email}`);
  const token = (await authOptions.callbacks!.jwt!({ token: { sub: user.id, email } as JWT, user, account: null, trigger: 'signIn' })) as JWT;
  return new Browser(await encode({ token, secret: SECRET }));
}

/** The token next-auth re-issues from `token` on a later visit: the same claims (`change` applied), a fresh expiry. */
async function reissued(token: string, change: Partial<JWT> = {}): Promise<string> {
  const claims = (await decode({ token, secret: SECRET }))!;
  const { exp: _exp, iat: _iat, jti: _jti, ...kept } = claims;
  return encode({ token: { ...kept, ...change } as JWT, secret: SECRET });
}

function passwordForm(currentPassword: string, newPassword: string): FormData {
  return form({ currentPassword, newPassword });
}

async function stored(id: string) {
  return getDb().user.findUniqueOrThrow({ where: { id }, select: { passwordHash: true, sessionVersion: true } });
}

async function userIn(browser: Browser): Promise<string | null> {
  browser.use();
  return (await getCurrentUser())?.id ?? null;
}

/** Next's redirect signal (thrown by redirect()) as its target, anything else rethrown. */
async function redirectOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest === 'string' && digest.startsWith('NEXT_REDIRECT;')) return digest.split(';')[2]!;
    throw error;
  }
  throw new Error('expected a redirect');
}

beforeEach(() => resetRateLimits());
afterAll(async () => {
  await disposeInferenceService(); // started by the uploads below
  await disconnectDb();
});

describe('changePasswordAction', () => {
  it('refuses a wrong current password and a new one against the policy, changing nothing', async () => {
    const user = await makeUser();
    const browser = await signIn(user.email, user.password);
    browser.use();
    const before = await stored(user.id);
    const tokenBefore = browser.token;

    await expect(changePasswordAction(idle, passwordForm('not my password', NEW_PASSWORD))).resolves.toEqual({
      status: 'invalid_data',
      fieldErrors: { currentPassword: 'That is not your current password' },
    });
    for (const [newPassword, problem] of [
      ['short', /at least 10/],
      [user.password, /different from your current/],
      [`${user.email}!`, /email address/],
      ['password123!', /too common/],
    ] as const) {
      const state = await changePasswordAction(idle, passwordForm(user.password, newPassword));
      expect(state).toEqual({ status: 'invalid_data', fieldErrors: { newPassword: expect.stringMatching(problem) } });
    }
    expect(await stored(user.id)).toEqual(before);
    expect(browser.token).toBe(tokenBefore);
    expect(await userIn(browser)).toBe(user.id);
  });

  it('refuses for the admin whose password ADMIN_PASSWORD sets (the next start would set it back), changing nothing', async () => {
    const admin = await makeUser('admin');
    const browser = await signIn(admin.email, admin.password);
    browser.use();
    const before = await stored(admin.id);
    // As the app server under `npm start` has it: ADMIN_EMAIL, and never ADMIN_PASSWORD (the launcher keeps it).
    const settings = env as { ADMIN_EMAIL?: string; ADMIN_PASSWORD?: string };
    const saved = { ADMIN_EMAIL: settings.ADMIN_EMAIL, ADMIN_PASSWORD: settings.ADMIN_PASSWORD };
    try {
      Object.assign(settings, { ADMIN_EMAIL: ` ${admin.email.toUpperCase()} `, ADMIN_PASSWORD: undefined });
      await expect(changePasswordAction(idle, passwordForm(admin.password, NEW_PASSWORD))).resolves.toEqual({
        status: 'failed',
        message: expect.stringMatching(/set by the server’s ADMIN_PASSWORD setting, and every start of the server sets it again/),
      });
      expect(await stored(admin.id)).toEqual(before);
      // Another account is not the environment's: its password changes as ever.
      Object.assign(settings, { ADMIN_EMAIL: `someone-else-${randomUUID()}@example.test` });
      await expect(changePasswordAction(idle, passwordForm(admin.password, NEW_PASSWORD))).resolves.toMatchObject({ status: 'success' });
    } finally {
      Object.assign(settings, saved);
    }
  });

  it('sets the new password, ends every other session, and keeps this browser signed in', async () => {
    const user = await makeUser();
    const here = await signIn(user.email, user.password);
    const laptop = await signIn(user.email, user.password);
    const stranger = await makeUser();
    const strangersBrowser = await signIn(stranger.email, stranger.password);
    expect(await userIn(laptop)).toBe(user.id);
    const tokenBefore = here.token;

    here.use();
    await expect(changePasswordAction(idle, passwordForm(user.password, NEW_PASSWORD))).resolves.toEqual({
      status: 'success',
      message: 'Password changed. Every other session of yours has been signed out.',
    });

    const after = await stored(user.id);
    expect(after.sessionVersion).toBe(1);
    expect(await verifyPassword(after.passwordHash, NEW_PASSWORD)).toBe(true);
    expect(await verifyPassword(after.passwordHash, user.password)).toBe(false);
    // This browser: a re-issued token with the new version, same account, a fresh 30-day cookie.
    expect(here.token).not.toBe(tokenBefore);
    expect(await decode({ token: here.token!, secret: SECRET })).toMatchObject({ id: user.id, role: 'user', sessionVersion: 1 });
    expect(here.jar.get(COOKIE)).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/', secure: false });
    expect(here.jar.get(COOKIE)!.expires!.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3_600_000);
    expect(await userIn(here)).toBe(user.id);
    // The other session is signed out; someone else's is not touched.
    expect(await userIn(laptop)).toBeNull();
    expect(await userIn(strangersBrowser)).toBe(stranger.id);
    expect((await stored(stranger.id)).sessionVersion).toBe(0);
    // Only the new password signs in, into a session that works.
    await expect(authorize({ email: user.email, password: user.password })).resolves.toBeNull();
    expect(await userIn(await signIn(user.email, NEW_PASSWORD))).toBe(user.id);
  });

  it('limits checks of the current password per user, so it cannot be guessed faster there than at sign-in', async () => {
    const user = await makeUser();
    (await signIn(user.email, user.password)).use();
    resetRateLimits({ signIn: 2 });
    for (let i = 0; i < 2; i++) expect((await changePasswordAction(idle, passwordForm(`guess ${i}`, NEW_PASSWORD))).status).toBe('invalid_data');
    // The right password, once over the limit: refused, and nothing changes.
    const state = await changePasswordAction(idle, passwordForm(user.password, NEW_PASSWORD));
    expect(state).toEqual({ status: 'rate_limited', message: expect.stringMatching(/Too many attempts\. Please try again in \d+ seconds\./) });
    expect((await stored(user.id)).sessionVersion).toBe(0);
  });

  it('is not kept from changing the password by strangers failing to sign in to the account', async () => {
    const user = await makeUser();
    (await signIn(user.email, user.password)).use();
    resetRateLimits({ signIn: 2 });
    for (let i = 0; i < 2; i++) await expect(authorize({ email: user.email, password: `guess ${i}` })).resolves.toBeNull();
    await expect(authorize({ email: user.email, password: user.password })).rejects.toThrow(SIGN_IN_RATE_LIMITED);
    expect(await changePasswordAction(idle, passwordForm(user.password, NEW_PASSWORD))).toMatchObject({ status: 'success' });
  });

  it('forgets the addresses the account signed in from: one who signed in with the old password has no pass past the account limit there', async () => {
    const user = await makeUser();
    (await signIn(user.email, user.password)).use();
    // Two failures lock the account; each address has room for more attempts than this test makes.
    resetRateLimits({ signIn: 10, signInAccount: 2 });
    const seenAt = '192.0.2.60';
    await expect(authorize({ email: user.email, password: user.password }, seenAt)).resolves.toMatchObject({ id: user.id });
    for (let i = 0; i < 2; i++) await expect(authorize({ email: user.email, password: `guess ${i}` }, `198.51.100.${70 + i}`)).resolves.toBeNull();
    // Locked for addresses it is not known at; where it signed in, the password still works ...
    await expect(authorize({ email: user.email, password: user.password }, seenAt)).resolves.toMatchObject({ id: user.id });
    expect(await changePasswordAction(idle, passwordForm(user.password, NEW_PASSWORD))).toMatchObject({ status: 'success' });
    // ... until the password changes: that address is one like any other now, under the account's limit.
    await expect(authorize({ email: user.email, password: NEW_PASSWORD }, seenAt)).rejects.toThrow(SIGN_IN_RATE_LIMITED);
  });

  it('refuses a guest and a session that a change elsewhere has ended', async () => {
    new Browser().use();
    await expect(changePasswordAction(idle, passwordForm('anything at all', NEW_PASSWORD))).resolves.toEqual({ status: 'unauthorized', message: 'Sign in to change your password.' });

    const user = await makeUser();
    const here = await signIn(user.email, user.password);
    const elsewhere = await signIn(user.email, user.password);
    here.use();
    await changePasswordAction(idle, passwordForm(user.password, NEW_PASSWORD));
    // The ended session knows the old password, and that is no longer enough.
    elsewhere.use();
    await expect(changePasswordAction(idle, passwordForm(user.password, 'the attacker’s passphrase'))).resolves.toMatchObject({ status: 'unauthorized' });
    await expect(endOtherSessionsAction({ status: 'idle' }, new FormData())).resolves.toMatchObject({ status: 'unauthorized' });
    expect(await stored(user.id)).toMatchObject({ sessionVersion: 1 });
    expect(await userIn(here)).toBe(user.id);
  });

  it('signs this browser out too, and sends it to sign in, when its token cannot be re-issued; the change stands', async () => {
    const user = await makeUser();
    const browser = new Browser();
    browser.use();
    actAs(user); // a session next-auth accepted, but no token in this jar to re-issue
    const target = await redirectOf(changePasswordAction(idle, passwordForm(user.password, NEW_PASSWORD)));
    expect(target).toBe('/login?callbackUrl=%2Faccount');
    expect(browser.jar.get(COOKIE)).toMatchObject({ value: '', maxAge: 0 });
    expect(await verifyPassword((await stored(user.id)).passwordHash, NEW_PASSWORD)).toBe(true);
  });
});

describe('the session version', () => {
  it('refuses a token from before sign-ins had ids, which signing out could not end, and one without a version', async () => {
    const user = await makeUser();
    const legacyToken = await encode({ token: { sub: user.id, id: user.id, email: user.email, role: 'user' } as JWT, secret: SECRET });
    expect(await userIn(new Browser(legacyToken))).toBeNull();
    const token = (await signIn(user.email, user.password)).token!;
    expect(await userIn(new Browser(await reissued(token, { sessionVersion: undefined })))).toBeNull();
    expect(await userIn(new Browser(await reissued(token)))).toBe(user.id);
  });

  it('is raised only from the version the session carries: a change that lands meanwhile ends this session, which changes nothing', async () => {
    const user = await makeUser();
    expect(await endUserSessions({ id: user.id, fromVersion: 0 })).toBe(1);
    expect(await endUserSessions({ id: user.id, fromVersion: 0 })).toBeNull();
    expect((await stored(user.id)).sessionVersion).toBe(1);

    // Through the action: another session of the account ends this one while it hashes the new password.
    const here = await signIn(user.email, user.password);
    here.use();
    const tokenBefore = here.token;
    const before = await stored(user.id);
    jest.mocked(hashPassword).mockImplementationOnce(async (password) => {
      await getDb().user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
      return jest.requireActual<typeof import('~/lib/server/password')>('~/lib/server/password').hashPassword(password);
    });
    await expect(changePasswordAction(idle, passwordForm(user.password, NEW_PASSWORD))).resolves.toEqual({ status: 'unauthorized', message: 'This session has ended. Sign in again.' });
    // The password is still the old one, and this browser got no token for the new version.
    expect(await stored(user.id)).toEqual({ passwordHash: before.passwordHash, sessionVersion: before.sessionVersion + 1 });
    expect(here.token).toBe(tokenBefore);
    expect(await userIn(here)).toBeNull();
  });
});

describe('endOtherSessionsAction', () => {
  it('ends every other session of the account, keeps this one, and keeps the password', async () => {
    const user = await makeUser();
    const here = await signIn(user.email, user.password);
    const phone = await signIn(user.email, user.password);
    const passwordHash = (await stored(user.id)).passwordHash;

    here.use();
    await expect(endOtherSessionsAction({ status: 'idle' }, new FormData())).resolves.toEqual({
      status: 'success',
      message: 'Every other session of yours has been signed out.',
    });
    expect(await stored(user.id)).toEqual({ passwordHash, sessionVersion: 1 });
    expect(await userIn(here)).toBe(user.id);
    expect(await userIn(phone)).toBeNull();
    // Signing in again on the phone works, with the same password.
    expect(await userIn(await signIn(user.email, user.password))).toBe(user.id);

    new Browser().use();
    await expect(endOtherSessionsAction({ status: 'idle' }, new FormData())).resolves.toEqual({ status: 'unauthorized', message: 'Sign in to manage your sessions.' });
  });
});

describe('signing out', () => {
  const DAY = 24 * 3_600;
  /** What next-auth's sign-out route does with the browser's cookie, besides clearing it: decode it and call the app's event. */
  async function signOut(browser: Browser): Promise<void> {
    const token = await decode({ token: browser.token!, secret: SECRET });
    await authOptions.events!.signOut!({ token: token!, session: undefined as never });
  }

  it('ends the sign-in on the server: a copy of its token, or one re-issued from it, is refused; other sign-ins stay', async () => {
    const user = await makeUser();
    const here = await signIn(user.email, user.password);
    const phone = await signIn(user.email, user.password);
    const copy = new Browser(here.token);
    const later = new Browser(await reissued(here.token!));
    expect(await userIn(copy)).toBe(user.id);

    await signOut(here);

    expect(await userIn(copy)).toBeNull();
    expect(await userIn(later)).toBeNull();
    copy.use();
    await expect(createApiTokenAction({ status: 'idle' }, form({ name: 'thief' }))).resolves.toMatchObject({ status: 'unauthorized' });
    expect(await redirectOf(requireUser('/history'))).toBe('/login?callbackUrl=%2Fhistory');
    expect(await getDb().apiToken.count({ where: { userId: user.id } })).toBe(0);
    // Kept until the sign-in would have ended anyway: 30 days after it.
    const { sid, signedInAt } = (await decode({ token: here.token!, secret: SECRET }))!;
    expect(await getDb().endedSession.findUnique({ where: { sid: sid! } })).toEqual({ sid, endsAt: new Date((signedInAt! + 30 * DAY) * 1000) });
    // The account's other sign-in, and a new one, are not touched; signing out twice is harmless.
    expect(await userIn(phone)).toBe(user.id);
    await signOut(here);
    expect(await getDb().endedSession.count({ where: { sid: sid! } })).toBe(1);
    expect(await userIn(await signIn(user.email, user.password))).toBe(user.id);
  });

  it("answers next-auth's own session endpoint for a signed-out copy as for a guest, not with its email, and expires it", async () => {
    const user = await makeUser();
    const here = await signIn(user.email, user.password);
    const copy = new Browser(here.token);
    /** The token as next-auth would also read it: split into cookie chunks (getServerSession joins them). */
    const chunked = new Browser();
    chunked.jar.set(`${COOKIE}.0`, { value: here.token! });
    const useChunked = () => {
      chunked.use();
      jest.mocked(getServerSession).mockImplementation(async () => sessionFrom(here.token));
    };
    // Before sign-out, and for a guest, next-auth answers (the e2e tests read its answer).
    copy.use();
    await expect(answerSessionEndpointAsGuest()).resolves.toBe(false);
    useChunked();
    await expect(answerSessionEndpointAsGuest()).resolves.toBe(false);
    new Browser().use();
    await expect(answerSessionEndpointAsGuest()).resolves.toBe(false);

    await signOut(here);

    copy.use();
    await expect(answerSessionEndpointAsGuest()).resolves.toBe(true);
    expect(copy.jar.get(COOKIE)).toMatchObject({ value: '', maxAge: 0 });
    useChunked();
    await expect(answerSessionEndpointAsGuest()).resolves.toBe(true);
    expect(chunked.jar.get(`${COOKIE}.0`)).toMatchObject({ value: '', maxAge: 0 });
    // The route asks first, for every way next-auth reaches its session endpoint: GET, POST (an update), a path below.
    for (const [method, nextauth] of [['GET', ['session']], ['POST', ['session']], ['GET', ['session', 'x']]] as const) {
      new Browser(here.token).use();
      const response = await nextAuthRoute(new Request(`http://localhost/api/auth/${nextauth.join('/')}`, { method }), { params: Promise.resolve({ nextauth: [...nextauth] }) });
      expect({ method, nextauth, status: response.status, body: await response.json() }).toEqual({ method, nextauth, status: 200, body: {} });
    }
  });

  it('refuses a token whose sign-in is over 30 days old, however recently it was re-issued', async () => {
    const user = await makeUser();
    const token = (await signIn(user.email, user.password)).token!;
    const now = Math.floor(Date.now() / 1000);
    expect(await userIn(new Browser(await reissued(token, { signedInAt: now - 30 * DAY + 60 })))).toBe(user.id);
    expect(await userIn(new Browser(await reissued(token, { signedInAt: now - 30 * DAY - 1 })))).toBeNull();
  });

  it('forgets sign-outs whose sign-in is over anyway when it records one', async () => {
    const past = randomUUID();
    await getDb().endedSession.create({ data: { sid: past, endsAt: new Date(Date.now() - 1_000) } });
    const user = await makeUser();
    await signOut(await signIn(user.email, user.password));
    expect(await getDb().endedSession.count({ where: { sid: past } })).toBe(0);
    expect(await getDb().endedSession.count({ where: { endsAt: { lte: new Date() } } })).toBe(0);
  });

  it('logs a sign-out it cannot record, without failing it (next-auth clears the cookie either way)', async () => {
    const user = await makeUser();
    const here = await signIn(user.email, user.password);
    jest.mocked(recordEndedSession).mockRejectedValueOnce(new Error('connection terminated'));
    const { logged } = await withLoggedErrors(() => signOut(here));
    expect(logged).toEqual([['[petlens] signing out:', expect.objectContaining({ message: 'connection terminated' })]]);
    // Not recorded: a copy of the token still works, as it did before sign-outs were recorded.
    expect(await userIn(new Browser(here.token))).toBe(user.id);
  });
});

describe('a session that cannot be confirmed', () => {
  it('changes and reads nothing on the token’s word, even when the database answers everything else', async () => {
    const user = await makeUser();
    const stolen = await signIn(user.email, user.password);
    const owner = await signIn(user.email, user.password);
    const prediction = await makePrediction(user.id, 'cat');
    const { item: token } = await createApiToken({ userId: user.id, name: 'laptop' });
    // The owner changes the password, which ends the stolen session ...
    owner.use();
    await changePasswordAction(idle, passwordForm(user.password, NEW_PASSWORD));
    // ... whose account lookups then fail while the pool is busy; every other query still answers.
    stolen.use();
    jest.mocked(getSessionAccountById).mockRejectedValue(new Error('timeout exceeded when trying to connect'));
    const retention = jest.replaceProperty(env, 'GUEST_RETENTION_DAYS', 30);
    try {
      // The lookups' failures are logged (by the lookup); what is checked here is what the user is answered.
      await withLoggedErrors(async () => {
        const refused = { status: 'failed', message: SESSION_UNCHECKED };
        expect(SESSION_UNCHECKED).toMatch(/could not be checked .*nothing was changed/);
        await expect(createApiTokenAction({ status: 'idle' }, form({ name: 'attacker' }))).resolves.toEqual(refused);
        await expect(revokeApiTokenAction({ status: 'idle' }, form({ id: token.id }))).resolves.toEqual(refused);
        await expect(submitFeedbackAction({ predictionId: prediction.id, correctLabel: 'dog' })).resolves.toEqual(refused);
        await expect(deletePredictionAction({ status: 'idle' }, form({ id: prediction.id }))).resolves.toEqual(refused);
        await expect(deleteAccountAction({ status: 'idle' }, form({ currentPassword: user.password }))).resolves.toEqual(refused);
        await expect(endOtherSessionsAction({ status: 'idle' }, new FormData())).resolves.toEqual(refused);
        await expect(changePasswordAction(idle, passwordForm(NEW_PASSWORD, 'the attacker’s passphrase'))).resolves.toEqual(refused);
        await expect(requireUser('/history')).rejects.toThrow(/cannot be confirmed/);
        // An upload is still answered, and saved neither to the account nor as a guest's (kept guest uploads on).
        const guestRows = await getDb().prediction.count({ where: { userId: null } });
        const upload = await classifyImageAction(form({ file: fileFrom(await readSample('cat')), expectedUser: user.id }));
        expect(upload).toMatchObject({ status: 'success', saved: false, saveError: expect.stringMatching(/could not be saved/), saveRetryable: true });
        expect(await getDb().prediction.count({ where: { userId: null } })).toBe(guestRows);
        // The header still shows who signed in: display only. next-auth's session endpoint, which a signed-out copy
        // could read too, answers as to a guest meanwhile, and leaves the cookie alone.
        expect(await getCurrentUser()).toMatchObject({ id: user.id });
        await expect(answerSessionEndpointAsGuest()).resolves.toBe(true);
        expect(stolen.jar.get(COOKIE)?.value).toBe(stolen.token);
        expect(stolen.token).toBeTruthy();
      });
    } finally {
      jest.mocked(getSessionAccountById).mockImplementation(jest.requireActual<typeof import('~/lib/server/queries/users')>('~/lib/server/queries/users').getSessionAccountById);
      retention.restore();
    }
    const db = getDb();
    expect(await db.user.count({ where: { id: user.id } })).toBe(1);
    expect(await db.apiToken.findMany({ where: { userId: user.id }, select: { name: true, revokedAt: true } })).toEqual([{ name: 'laptop', revokedAt: null }]);
    expect(await db.prediction.findMany({ where: { userId: user.id }, select: { id: true, correctLabel: true } })).toEqual([{ id: prediction.id, correctLabel: null }]);
  });
});

describe('a session that cannot be read', () => {
  // What each refused session check logs.
  const unreadable = ['[petlens] checking the session:', expect.objectContaining({ message: 'JWT could not be decrypted' })];

  it('is answered with a clear state, logged, and changes nothing: the password and sessions stay, an upload is still answered', async () => {
    const user = await makeUser();
    const browser = await signIn(user.email, user.password);
    browser.use();
    const before = await stored(user.id);
    const guestRows = await getDb().prediction.count({ where: { userId: null } });
    // getServerSession throws instead of answering (a configuration error, or the request's headers unavailable).
    jest.mocked(getServerSession).mockRejectedValue(new Error('JWT could not be decrypted'));
    const retention = jest.replaceProperty(env, 'GUEST_RETENTION_DAYS', 30);
    try {
      const { logged } = await withLoggedErrors(async () => {
        const refused = { status: 'failed', message: expect.stringMatching(/could not be checked; nothing was changed/) };
        await expect(changePasswordAction(idle, passwordForm(user.password, NEW_PASSWORD))).resolves.toEqual(refused);
        await expect(endOtherSessionsAction({ status: 'idle' }, new FormData())).resolves.toEqual(refused);
        const upload = await classifyImageAction(form({ file: fileFrom(await readSample('dog')), expectedUser: user.id }));
        expect(upload).toMatchObject({ status: 'success', saved: false, saveError: expect.stringMatching(/could not be saved/), saveRetryable: true, prediction: { label: 'dog' } });
        // A page shown to a guest: answered, kept for no one, and no word about a history it does not have.
        const guestUpload = await classifyImageAction(form({ file: fileFrom(await readSample('cat')) }));
        expect(guestUpload).toMatchObject({ status: 'success', saved: false, saveError: null, prediction: { label: 'cat' } });
      });
      expect(logged).toEqual([unreadable, unreadable, unreadable, unreadable]);
    } finally {
      retention.restore();
      browser.use(); // getServerSession reads the jar again
    }
    expect(await stored(user.id)).toEqual(before);
    expect(await getDb().prediction.count({ where: { userId: user.id } })).toBe(0);
    expect(await getDb().prediction.count({ where: { userId: null } })).toBe(guestRows);
    expect(await userIn(browser)).toBe(user.id);
  });

  it('is answered by the routes behind a session (thumbnails, the CSV export) with their JSON error, logged', async () => {
    // One failure per route, so that none stays queued for the tests after this one.
    const unreadableSession = new Error('JWT could not be decrypted');
    jest.mocked(getServerSession).mockRejectedValueOnce(unreadableSession).mockRejectedValueOnce(unreadableSession).mockRejectedValueOnce(unreadableSession);
    const params = { params: Promise.resolve({ id: randomUUID() }) };
    const { result: answers, logged } = await withLoggedErrors(async () => [
      await userThumbnail(new Request('http://localhost/history/x/thumbnail'), params),
      await adminThumbnail(new Request('http://localhost/admin/predictions/x/thumbnail'), params),
      await exportCsv(new Request('http://localhost/admin/export.csv')),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(500);
      expect(await answer.json()).toEqual({ error: { code: 'internal', message: expect.any(String) } });
    }
    expect(logged).toEqual([unreadable, unreadable, unreadable]);
  });
});
