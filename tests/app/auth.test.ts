/**
 * Accounts: sign-up action, the credentials provider and the JWT/session
 * callbacks that carry id and role, against the real test database.
 */
import type { Session, User } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import { signUpAction } from '~/app/(auth)/actions';
import { authOptions } from '~/lib/server/auth';
import { disconnectDb, getDb } from '~/lib/server/db';
import { form, makeUser } from './helpers';
import { authorize } from './credentials';

afterAll(() => disconnectDb());

function signUpForm(email: string, password: string): FormData {
  return form({ email, password });
}

describe('signUpAction', () => {
  it('creates a user with a hashed password and the user role; email is case-insensitive', async () => {
    const email = `New.Person.${Date.now()}@Example.test`;
    const state = await signUpAction({ status: 'idle' }, signUpForm(email, 'correct horse battery'));
    expect(state).toEqual({ status: 'success', email: email.toLowerCase() });
    const user = await getDb().user.findUniqueOrThrow({ where: { email: email.toLowerCase() } });
    expect(user.role).toBe('user');
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain('correct horse battery');

    const again = await signUpAction({ status: 'idle' }, signUpForm(email.toUpperCase(), 'another password'));
    expect(again.status).toBe('conflict');
  });

  it('returns field errors for an invalid email or a short password', async () => {
    const state = await signUpAction({ status: 'idle' }, signUpForm('not-an-email', 'short'));
    expect(state.status).toBe('invalid_data');
    if (state.status === 'invalid_data') {
      expect(state.fieldErrors.email).toMatch(/valid email/i);
      expect(state.fieldErrors.password).toMatch(/at least/i);
    }
  });
});

describe('credentials sign-in', () => {
  it('accepts the right password and returns id and role', async () => {
    const user = await makeUser('admin');
    await expect(authorize({ email: user.email.toUpperCase(), password: user.password })).resolves.toEqual({ id: user.id, email: user.email, role: 'admin', sessionVersion: 0 });
  });

  it('refuses a wrong password, an unknown email and malformed input', async () => {
    const user = await makeUser();
    await expect(authorize({ email: user.email, password: 'wrong password' })).resolves.toBeNull();
    await expect(authorize({ email: 'nobody@example.test', password: 'whatever1' })).resolves.toBeNull();
    await expect(authorize({ email: '', password: '' })).resolves.toBeNull();
  });

  it('carries id, role and a new sign-in id and time from sign-in into the JWT and the session', async () => {
    const callbacks = authOptions.callbacks!;
    const user: User = { id: 'u-1', email: 'a@example.test', role: 'admin', sessionVersion: 3 };
    const token = (await callbacks.jwt!({ token: { sub: 'u-1' } as JWT, user, account: null, trigger: 'signIn' })) as JWT;
    const now = Math.floor(Date.now() / 1000);
    expect(token).toMatchObject({ id: 'u-1', role: 'admin', sessionVersion: 3, sid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(Math.abs(token.signedInAt! - now)).toBeLessThanOrEqual(1);
    // Each sign-in has its own id.
    const another = (await callbacks.jwt!({ token: { sub: 'u-1' } as JWT, user, account: null, trigger: 'signIn' })) as JWT;
    expect(another.sid).not.toBe(token.sid);
    // Later requests have no `user`: the token keeps what it had.
    const later = (await callbacks.jwt!({ token, user: undefined as unknown as User, account: null })) as JWT;
    expect(later).toMatchObject({ id: 'u-1', role: 'admin', sessionVersion: 3, sid: token.sid, signedInAt: token.signedInAt });
    const session = (await callbacks.session!({
      session: { user: { email: 'a@example.test' }, expires: new Date().toISOString() } as Session,
      token: later,
      user: user as never,
      newSession: undefined,
      trigger: 'update',
    })) as Session;
    expect(session.user).toMatchObject({ id: 'u-1', role: 'admin', email: 'a@example.test', sessionVersion: 3, sid: token.sid, signedInAt: token.signedInAt });
  });
});
