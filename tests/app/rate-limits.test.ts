/**
 * Rate limits on sign-in (per address, and failures per account except from
 * addresses the account recently signed in from), sign-up (per
 * address) and the upload action (per user, per address for guests), and
 * next-auth's cookie settings. Real database and model; the session lookup,
 * the request headers and cache revalidation are mocked.
 */
import { headers } from 'next/headers';
import { classifyImageAction } from '~/app/(app)/actions';
import { signUpAction } from '~/app/(auth)/actions';
import { authOptions, sessionCookies } from '~/lib/server/auth';
import { disconnectDb, getDb } from '~/lib/server/db';
import { disposeInferenceService } from '~/lib/server/inference';
import { resetRateLimits } from '~/lib/server/rate-limits';
import { SIGN_IN_RATE_LIMITED } from '~/lib/config';
import { actAs, fileFrom, form, formWith, makeUser } from './helpers';
import { readSample } from '../fixtures/images';
import { authorize } from './credentials';

jest.mock('next-auth', () => ({ __esModule: true, ...jest.requireActual<object>('next-auth'), getServerSession: jest.fn() }));
jest.mock('next/cache', () => ({ revalidatePath: jest.fn() }));
jest.mock('next/headers', () => ({ headers: jest.fn() }));

/** Makes the next server actions see a request from `address`. */
function fromAddress(address: string): void {
  jest.mocked(headers).mockResolvedValue(new Headers({ 'x-forwarded-for': `${address}, 10.0.0.1` }) as never);
}

function signUpForm(email: string, password = 'a fine long passphrase'): FormData {
  return form({ email, password });
}

afterEach(() => resetRateLimits());
afterAll(async () => {
  await disposeInferenceService();
  await disconnectDb();
});

describe('sign-in', () => {
  it('limits attempts per address: the right password is refused too once over, other addresses are unaffected', async () => {
    resetRateLimits({ signIn: 3 });
    const user = await makeUser();
    for (let i = 0; i < 3; i++) await expect(authorize({ email: `other-${i}@example.test`, password: 'wrong password' }, '203.0.113.7')).resolves.toBeNull();
    await expect(authorize({ email: user.email, password: user.password }, '203.0.113.7')).rejects.toThrow(SIGN_IN_RATE_LIMITED);
    await expect(authorize({ email: user.email, password: user.password }, '203.0.113.8')).resolves.toMatchObject({ id: user.id });
  });

  it('limits attempts per account across addresses (a distributed guess)', async () => {
    resetRateLimits({ signIn: 3 });
    const user = await makeUser();
    for (let i = 0; i < 3; i++) await expect(authorize({ email: user.email, password: `guess number ${i}` }, `198.51.100.${i}`)).resolves.toBeNull();
    await expect(authorize({ email: user.email.toUpperCase(), password: user.password }, '198.51.100.99')).rejects.toThrow(SIGN_IN_RATE_LIMITED);
  });

  it('counts parallel guesses before any of them has failed, so a burst gets no more than the limit', async () => {
    resetRateLimits({ signIn: 3 });
    const user = await makeUser();
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => authorize({ email: user.email, password: `guess number ${i}` }, `198.51.100.${60 + i}`)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value === null)).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected' && String(outcome.reason).includes(SIGN_IN_RATE_LIMITED))).toHaveLength(3);
  });

  it('counts only failures against the account: its owner signing in from many places is never refused', async () => {
    resetRateLimits({ signIn: 3 });
    const user = await makeUser();
    for (let i = 0; i < 6; i++) await expect(authorize({ email: user.email, password: user.password }, `198.51.100.${10 + i}`)).resolves.toMatchObject({ id: user.id });
  });

  it('does not let strangers lock the owner out at an address the account recently signed in from', async () => {
    resetRateLimits({ signIn: 3 });
    const user = await makeUser();
    await expect(authorize({ email: user.email, password: user.password }, '192.0.2.50')).resolves.toMatchObject({ id: user.id });
    for (let i = 0; i < 3; i++) await expect(authorize({ email: user.email, password: `guess number ${i}` }, `198.51.100.${20 + i}`)).resolves.toBeNull();
    // Locked for guesses from anywhere new, the right password included ...
    await expect(authorize({ email: user.email, password: user.password }, '198.51.100.30')).rejects.toThrow(SIGN_IN_RATE_LIMITED);
    // ... but not at home, where the address's own limit still holds.
    await expect(authorize({ email: user.email, password: user.password }, '192.0.2.50')).resolves.toMatchObject({ id: user.id });
    await expect(authorize({ email: user.email, password: 'wrong at home' }, '192.0.2.50')).resolves.toBeNull();
    await expect(authorize({ email: user.email, password: user.password }, '192.0.2.50')).rejects.toThrow(SIGN_IN_RATE_LIMITED);
  });

  it('never treats a request without an address as one the account is known at (that would be everyone)', async () => {
    resetRateLimits({ signIn: 3 });
    const user = await makeUser();
    await expect(authorize({ email: user.email, password: user.password })).resolves.toMatchObject({ id: user.id });
    for (let i = 0; i < 3; i++) await expect(authorize({ email: user.email, password: `guess number ${i}` }, `198.51.100.${40 + i}`)).resolves.toBeNull();
    await expect(authorize({ email: user.email, password: user.password })).rejects.toThrow(SIGN_IN_RATE_LIMITED);
  });

  it('0 turns the limit off', async () => {
    resetRateLimits({ signIn: 0 });
    const user = await makeUser();
    for (let i = 0; i < 25; i++) await expect(authorize({ email: user.email, password: 'wrong password' }, '192.0.2.1')).resolves.toBeNull();
    await expect(authorize({ email: user.email, password: user.password }, '192.0.2.1')).resolves.toMatchObject({ id: user.id });
  });
});

describe('sign-up', () => {
  it('limits new accounts per address and creates nothing once over', async () => {
    resetRateLimits({ signUp: 2 });
    const stamp = Date.now();
    fromAddress('203.0.113.20');
    expect((await signUpAction({ status: 'idle' }, signUpForm(`rl-a-${stamp}@example.test`))).status).toBe('success');
    expect((await signUpAction({ status: 'idle' }, signUpForm(`rl-b-${stamp}@example.test`))).status).toBe('success');
    const refused = await signUpAction({ status: 'idle' }, signUpForm(`rl-c-${stamp}@example.test`));
    expect(refused).toEqual({ status: 'failed', message: expect.stringMatching(/too many new accounts.*try again in \d+ seconds/i) });
    expect(await getDb().user.count({ where: { email: `rl-c-${stamp}@example.test` } })).toBe(0);
    fromAddress('203.0.113.21');
    expect((await signUpAction({ status: 'idle' }, signUpForm(`rl-d-${stamp}@example.test`))).status).toBe('success');
  });
});

describe('uploads', () => {
  it('limits a signed-in user per account and a guest per address; refused uploads store nothing', async () => {
    resetRateLimits({ upload: 2 });
    const cat = await readSample('cat');
    const user = await makeUser();
    actAs(user);
    fromAddress('203.0.113.30');
    for (let i = 0; i < 2; i++) expect((await classifyImageAction(formWith(fileFrom(cat)))).status).toBe('success');
    const refused = await classifyImageAction(formWith(fileFrom(cat)));
    expect(refused).toEqual({ status: 'failed', message: expect.stringMatching(/2 photos a minute.*try again in \d+ seconds/) });
    expect(await getDb().prediction.count({ where: { userId: user.id } })).toBe(2);

    // Another user from the same address has their own allowance; so does a guest.
    actAs(await makeUser());
    expect((await classifyImageAction(formWith(fileFrom(cat)))).status).toBe('success');
    actAs(null);
    expect((await classifyImageAction(formWith(fileFrom(cat)))).status).toBe('success');
    expect((await classifyImageAction(formWith(fileFrom(cat)))).status).toBe('success');
    expect((await classifyImageAction(formWith(fileFrom(cat)))).status).toBe('failed');
    fromAddress('203.0.113.31');
    expect((await classifyImageAction(formWith(fileFrom(cat)))).status).toBe('success');
  });

  it('an invalid upload is answered as invalid and not counted', async () => {
    resetRateLimits({ upload: 1 });
    actAs(null);
    fromAddress('203.0.113.40');
    for (let i = 0; i < 3; i++) expect((await classifyImageAction(formWith(null))).status).toBe('invalid_data');
    expect((await classifyImageAction(formWith(fileFrom(await readSample('cat'))))).status).toBe('success');
  });
});

describe('session cookies', () => {
  it('are httpOnly and SameSite=Lax; Secure with __Secure-/__Host- names only over https', () => {
    const http = sessionCookies(false);
    expect(http.sessionToken).toEqual({ name: 'next-auth.session-token', options: { httpOnly: true, sameSite: 'lax', path: '/', secure: false } });
    const https = sessionCookies(true);
    expect(https.sessionToken).toEqual({ name: '__Secure-next-auth.session-token', options: { httpOnly: true, sameSite: 'lax', path: '/', secure: true } });
    expect(https.csrfToken?.name).toBe('__Host-next-auth.csrf-token');
    for (const cookie of Object.values(https)) expect(cookie.options).toMatchObject({ httpOnly: true, sameSite: 'lax', secure: true });
    // The test environment's NEXTAUTH_URL is http (or unset): plain names.
    expect(authOptions.cookies?.sessionToken?.name).toBe('next-auth.session-token');
  });
});
