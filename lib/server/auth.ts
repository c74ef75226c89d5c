import 'server-only';

import { randomUUID } from 'node:crypto';
import { getServerSession, type CookieOption, type NextAuthOptions } from 'next-auth';
import { decode, encode, type JWT } from 'next-auth/jwt';
import CredentialsProvider from 'next-auth/providers/credentials';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { env } from '~/lib/env';
import { APP_ERRORS, logServerError } from '~/lib/errors';
import { verifyAgainstDummy, verifyPassword } from '~/lib/server/password';
import { addressFrom, startSignInAttempt } from '~/lib/server/rate-limits';
import { recordEndedSession } from '~/lib/server/queries/sessions';
import { getSessionAccountById, getUserCredentialsByEmail } from '~/lib/server/queries/users';
import { SIGN_IN_RATE_LIMITED, SIGN_IN_UNAVAILABLE } from '~/lib/config';
import { signInSchema } from '~/lib/validations/auth';
import { servedOverHttps } from '~/lib/security-headers';
import { RETURN_TO_HEADER } from '~/lib/return-to';
import { safeCallbackUrl } from '~/lib/safe-redirect';

export type Role = 'user' | 'admin';

export interface CurrentUser {
  id: string;
  email: string;
  role: Role;
}

/**
 * next-auth's cookies, spelled out: all httpOnly and SameSite=Lax (sent on
 * top-level navigations from other sites, never on their subrequests or
 * POSTs), path /, and over https Secure with the __Secure- / __Host-
 * prefixes, which browsers only accept from a secure origin.
 */
export function sessionCookies(secure: boolean): NonNullable<NextAuthOptions['cookies']> {
  const options = { httpOnly: true, sameSite: 'lax' as const, path: '/', secure };
  const prefix = secure ? '__Secure-' : '';
  return {
    sessionToken: { name: `${prefix}next-auth.session-token`, options },
    callbackUrl: { name: `${prefix}next-auth.callback-url`, options },
    csrfToken: { name: `${secure ? '__Host-' : ''}next-auth.csrf-token`, options },
    pkceCodeVerifier: { name: `${prefix}next-auth.pkce.code_verifier`, options: { ...options, maxAge: 15 * 60 } },
    state: { name: `${prefix}next-auth.state`, options: { ...options, maxAge: 15 * 60 } },
    nonce: { name: `${prefix}next-auth.nonce`, options },
  };
}

/**
 * How long a sign-in lasts: next-auth's sliding lifetime (a token unused for
 * this long expires) and also the absolute one, counted from the sign-in
 * (`signedInAt`), which next-auth's re-issued tokens would otherwise extend
 * for ever. It bounds how long a signed-out session must be remembered.
 */
const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/** When a sign-in made at `signedInAt` (seconds since the epoch) ends, whatever its tokens say. */
function signInEndsAt(signedInAt: number): Date {
  return new Date((signedInAt + SESSION_MAX_AGE_SECONDS) * 1000);
}

/**
 * Signing out: next-auth drops the browser's cookie, and the sign-in's id is
 * recorded so that a copy of the token (from a shared computer, a log,
 * malware) is refused from now on too. When that cannot be recorded the
 * browser is still signed out (next-auth clears the cookie either way).
 */
async function endSignIn(token: JWT | null): Promise<void> {
  if (!token?.sid || typeof token.signedInAt !== 'number') return;
  try {
    await recordEndedSession({ sid: token.sid, endsAt: signInEndsAt(token.signedInAt) });
  } catch (error) {
    logServerError('signing out', error);
  }
}

/**
 * next-auth logs every session cookie it cannot read (JWT_SESSION_ERROR) with a stack trace, on every page asked for
 * with it: a cookie signed with an earlier NEXTAUTH_SECRET, or one made up, which any guest can send with every
 * request to fill the log. It is read as signed out either way. So: one line, at most once a minute per server
 * bundle, saying how many more there were since; next-auth's other messages are logged as before.
 */
const UNREADABLE_SESSION_LOG_INTERVAL_MS = 60_000;
const unreadableSessions = { lastLoggedAt: -Infinity, notLogged: 0 };

function logUnreadableSessionCookie(error: unknown): void {
  const now = Date.now();
  if (now - unreadableSessions.lastLoggedAt < UNREADABLE_SESSION_LOG_INTERVAL_MS) {
    unreadableSessions.notLogged += 1;
    return;
  }
  const more = unreadableSessions.notLogged;
  unreadableSessions.lastLoggedAt = now;
  unreadableSessions.notLogged = 0;
  const reason = error instanceof Error ? error.message : String(error);
  console.warn(
    `[petlens] a session cookie could not be read (${reason.slice(0, 200)}): signed with another NEXTAUTH_SECRET, or not ` +
      `one of ours; treated as signed out${more > 0 ? ` (${more} more since the last such line)` : ''}`,
  );
}

export const authOptions: NextAuthOptions = {
  logger: {
    error(code, metadata) {
      if (code === 'JWT_SESSION_ERROR') return logUnreadableSessionCookie(metadata);
      // next-auth's own format, as without a logger option.
      console.error(`[next-auth][error][${code}]`, metadata);
    },
  },
  // Credentials sign-in works only with JWT sessions (next-auth v4).
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
  secret: env.NEXTAUTH_SECRET,
  pages: { signIn: '/login' },
  // Explicit rather than next-auth's defaults-by-URL: httpOnly, SameSite=Lax,
  // and Secure plus the __Secure- prefix whenever the site is served over https.
  cookies: sessionCookies(servedOverHttps(env.NEXTAUTH_URL)),
  providers: [
    CredentialsProvider({
      name: 'Email and password',
      credentials: {
        email: { label: 'Email', type: 'email' },
        password: { label: 'Password', type: 'password' },
      },
      async authorize(credentials, request) {
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        // Per address and per account, so neither one client nor many
        // addresses can guess passwords quickly, without letting a stranger
        // lock the owner out (startSignInAttempt). The thrown codes come back
        // to signIn() as `error`.
        const address = addressFrom((name) => {
          const value = request?.headers?.[name];
          return Array.isArray(value) ? value[0] : value;
        });
        const attempt = startSignInAttempt(email, address);
        if (!attempt.allowed) throw new Error(SIGN_IN_RATE_LIMITED);
        try {
          const user = await getUserCredentialsByEmail({ email });
          if (!user) return verifyAgainstDummy(password).then(() => null);
          if (!(await verifyPassword(user.passwordHash, password))) return null;
          attempt.succeeded();
          return { id: user.id, email: user.email, role: user.role, sessionVersion: user.sessionVersion };
        } catch (error) {
          logServerError('sign-in', error);
          throw new Error(SIGN_IN_UNAVAILABLE);
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      // `user` is only present right after sign-in; every token re-issued from this one keeps its claims.
      if (user) {
        token.id = user.id;
        token.role = user.role;
        token.sessionVersion = user.sessionVersion;
        token.sid = randomUUID();
        token.signedInAt = Math.floor(Date.now() / 1000);
      }
      return token;
    },
    session({ session, token }) {
      if (session.user) {
        session.user.id = token.id;
        session.user.role = token.role;
        session.user.sessionVersion = token.sessionVersion;
        session.user.sid = token.sid;
        session.user.signedInAt = token.signedInAt;
      }
      return session;
    },
  },
  events: {
    signOut: ({ token }) => endSignIn(token),
  },
};

/**
 * The session's account as stored now. A JWT stays valid until it expires
 * (30 days) and carries the role it had at sign-in, so the account is looked
 * up again once per request: a deleted account (by its owner on another
 * device, or by an admin's purge) is signed out at once, a demotion takes
 * effect at once, and so does a password change or "sign out everywhere
 * else", which raise the account's session version above the one the token
 * carries, and signing out, which ends the token's sign-in (`sid`). A token
 * without a sign-in id, time and version (from before they existed) or
 * whose sign-in is over 30 days old is refused without a lookup. When the
 * lookup fails the token's claims stand in (`verified: false`), for display
 * only: the header still shows who signed in and uploads are still answered,
 * while everything that reads or changes an account's data (checkUser,
 * requireUser, checkAdmin) refuses. The lookup can fail while the database
 * is merely busy (a pool timeout), and the next query may then succeed: a
 * session ended by a password change must not act on the token's word.
 */
const getSessionAccount = cache(async (): Promise<{ user: CurrentUser; verified: boolean; sessionVersion: number } | null> => {
  const session = await getServerSession(authOptions);
  const claims = session?.user;
  if (!claims?.id || !claims.email || (claims.role !== 'user' && claims.role !== 'admin')) return null;
  if (!claims.sid || typeof claims.signedInAt !== 'number' || signInEndsAt(claims.signedInAt).getTime() <= Date.now()) return null;
  const sessionVersion = claims.sessionVersion;
  if (typeof sessionVersion !== 'number') return null;
  try {
    const stored = await getSessionAccountById({ id: claims.id, sid: claims.sid });
    if (!stored || stored.sessionVersion !== sessionVersion) return null;
    return { user: { id: stored.id, email: stored.email, role: stored.role }, verified: true, sessionVersion };
  } catch (error) {
    logServerError('re-checking the signed-in account', error);
    return { user: { id: claims.id, email: claims.email, role: claims.role }, verified: false, sessionVersion };
  }
});

/**
 * For actions that raise the signed-in user's session version (which ends
 * every session, this one included): this browser's session token issued
 * again with `sessionVersion`, so that it alone stays signed in. The same
 * claims and a fresh 30-day lifetime, as next-auth gives on every visit.
 * False when the request's token cannot be read (then the caller signs this
 * browser out as well).
 */
export async function keepThisSession(sessionVersion: number): Promise<boolean> {
  const cookie = authOptions.cookies?.sessionToken;
  const secret = env.NEXTAUTH_SECRET;
  if (!cookie || !secret) return false;
  const jar = await cookies();
  const current = jar.get(cookie.name)?.value;
  const token = current ? await decode({ token: current, secret }).catch(() => null) : null;
  if (!token) return false;
  const value = await encode({ token: { ...token, sessionVersion }, secret, maxAge: SESSION_MAX_AGE_SECONDS });
  jar.set(cookie.name, value, { ...cookie.options, expires: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000) });
  return true;
}

/** Expires next-auth's cookies in this response: the browser is signed out. */
export async function endThisSession(): Promise<void> {
  const jar = await cookies();
  for (const cookie of Object.values(authOptions.cookies ?? {})) expireCookie(jar, cookie.name, cookie.options);
}

type CookieJar = Awaited<ReturnType<typeof cookies>>;

/** Tells the browser to drop the cookie `name`, set with next-auth's `options` (path, Secure: the same cookie). */
function expireCookie(jar: CookieJar, name: string, options: CookieOption['options']): void {
  jar.set(name, '', { ...options, maxAge: 0 });
}

/**
 * For display (the header, the home page, sign-in pages): the signed-in user,
 * or null for a guest (or a session whose account is gone). Never for reading
 * or changing an account's data: it may be the token's unconfirmed claims.
 */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  return (await getSessionAccount())?.user ?? null;
}

/** What an action answers when checkUser is `unavailable`. */
export const SESSION_UNCHECKED = 'Your session could not be checked (the database is unavailable); nothing was changed. Please try again.';
/** Where a session that could not be read is logged. */
const CHECKING_THE_SESSION = 'checking the session';
/** What an action answers when the session itself could not be read (not the database). */
const SESSION_UNREADABLE = 'Your session could not be checked; nothing was changed. Please try again.';

/** `unavailable`: the session could not be confirmed against the stored account (already logged by the lookup). */
export type UserCheck = { status: 'ok'; user: CurrentUser } | { status: 'unauthorized' } | { status: 'unavailable' };

/**
 * For actions and route handlers that read or change the signed-in user's
 * own data: the user, confirmed against the account as stored now. Never the
 * token's word alone (see getSessionAccount).
 */
export async function checkUser(): Promise<UserCheck> {
  const account = await getSessionAccount();
  if (!account) return { status: 'unauthorized' };
  if (!account.verified) return { status: 'unavailable' };
  return { status: 'ok', user: account.user };
}

/** An action's refusal: the state it answers with instead of acting. */
type ActionRefusal<S extends string> = { status: S; message: string };

/**
 * `check()` for a server action or a route handler. A session that cannot be
 * read at all (not the database: the account lookup answers that as
 * `unavailable`, logged there) is logged under `context` and answered with
 * `unreadable`, not thrown: a form keeps what was typed instead of giving way
 * to the error page, and a route answers its own JSON error.
 */
async function checkForAction<T, F>(check: () => Promise<T>, context: string, unreadable: F): Promise<T | F> {
  try {
    return await check();
  } catch (error) {
    logServerError(context, error);
    return unreadable;
  }
}

/** The session could not be read: nothing was changed. */
const SESSION_UNREADABLE_STATE: ActionRefusal<'failed'> = { status: 'failed', message: SESSION_UNREADABLE };

/**
 * For actions on the signed-in user's own data, and for those that raise the
 * session version (a password change, signing out other sessions): the user
 * and the version their session carries, confirmed against the account as
 * stored now, or the state the action answers with (`signInMessage` to a
 * guest, SESSION_UNCHECKED when the session could not be confirmed, a logged
 * `failed` when it could not even be read). The version-raising actions also
 * raise it only from the one the session carries, in one conditional update,
 * so a session that another one ended a moment later changes nothing; a
 * signed-out copy of a token carries the current version, so only the
 * confirmation keeps it from acting.
 */
export async function gateSession(
  signInMessage: string,
): Promise<{ status: 'ok'; user: CurrentUser; sessionVersion: number } | ActionRefusal<'unauthorized' | 'failed'>> {
  const account = await checkForAction(getSessionAccount, CHECKING_THE_SESSION, SESSION_UNREADABLE_STATE);
  if (account === null) return { status: 'unauthorized', message: signInMessage };
  if ('status' in account) return account;
  if (!account.verified) return { status: 'failed', message: SESSION_UNCHECKED };
  return { status: 'ok', user: account.user, sessionVersion: account.sessionVersion };
}

/** gateSession without the version: for actions on the signed-in user's own data. */
export async function gateUser(signInMessage: string): Promise<Extract<UserCheck, { status: 'ok' }> | ActionRefusal<'unauthorized' | 'failed'>> {
  const gate = await gateSession(signInMessage);
  return gate.status === 'ok' ? { status: 'ok', user: gate.user } : gate;
}

/**
 * For the upload action, which answers every visitor: checkUser, or
 * `unreadable` (logged) when the session cannot be read at all, so that the
 * photo is still answered (and kept for no one) instead of lost to the error
 * page. Unlike `unavailable`, it cannot tell whether anyone had signed in.
 */
export function checkUserForUpload(): Promise<UserCheck | { status: 'unreadable' }> {
  return checkForAction(checkUser, CHECKING_THE_SESSION, { status: 'unreadable' } as const);
}

/**
 * For route handlers: `check()` (checkUser or checkAdmin), or `internal`
 * (logged) when the session cannot be read at all, so the caller answers its
 * JSON error like every other refusal instead of Next's bare 500.
 */
export function checkForRoute<T>(check: () => Promise<T>): Promise<T | { status: 'internal' }> {
  return checkForAction(check, CHECKING_THE_SESSION, { status: 'internal' } as const);
}

/**
 * For next-auth's own session endpoint (`/api/auth/session`, which its client
 * reads after signing in or out; POST for an update): whether to answer as
 * to a guest instead of letting next-auth decode the token and answer with
 * its email and role. True for a token the app refuses everywhere else
 * (signed out, ended by a password change, its account gone, its sign-in over
 * 30 days old), which is also expired in this response, as next-auth does
 * with one it cannot decode; and true, without expiring it, for a token that
 * cannot be confirmed now (the database down), since a signed-out copy could
 * be one. The app itself never reads this endpoint's answer.
 */
export async function answerSessionEndpointAsGuest(): Promise<boolean> {
  const cookie = authOptions.cookies?.sessionToken;
  if (!cookie) return false;
  const jar = await cookies();
  // next-auth also reads a token split over several cookies (name.0, name.1, …): any cookie under the name is one.
  const held = jar.getAll().filter(({ name, value }) => name.startsWith(cookie.name) && value !== '');
  if (held.length === 0) return false;
  const account = await checkForAction(getSessionAccount, CHECKING_THE_SESSION, 'unreadable' as const);
  // An unreadable session is left to next-auth, which answers a token it cannot decode as a guest anyway.
  if (account === 'unreadable') return false;
  if (account === null) {
    for (const { name } of held) expireCookie(jar, name, cookie.options);
    return true;
  }
  return !account.verified;
}

const ROLE_UNCHECKED_SESSION = 'Your admin role could not be checked; nothing was changed. Please try again.';
const ROLE_UNCHECKED_DATABASE = 'Your admin role could not be checked (the database is unavailable); nothing was changed. Please try again.';

/**
 * For admin actions: the admin role, checked on the server against the
 * stored account, or the state the action answers with (a guest or a
 * non-admin refused, a database that cannot confirm the role or a session
 * that cannot be read answered as `failed`).
 */
export async function gateAdmin(): Promise<Extract<AdminCheck, { status: 'ok' }> | ActionRefusal<'unauthorized' | 'forbidden' | 'failed'>> {
  const admin = await checkForAction(checkAdmin, 'checking the admin role', { status: 'failed', message: ROLE_UNCHECKED_SESSION } as const);
  if (admin.status === 'ok' || admin.status === 'failed') return admin;
  if (admin.status === 'unavailable') return { status: 'failed', message: ROLE_UNCHECKED_DATABASE };
  return { status: admin.status, message: APP_ERRORS[admin.status].message };
}

/**
 * For a page whose query is not given to it (a layout) on a path proxy.ts
 * covers: the path and query this request asked for, as the proxy recorded
 * them (lib/return-to.ts), or `fallback`. Same-site only, as every
 * callbackUrl.
 */
export async function requestedPath(fallback: string): Promise<string> {
  return safeCallbackUrl((await headers()).get(RETURN_TO_HEADER), fallback);
}

function toSignIn(returnTo: string): never {
  redirect(`/login?callbackUrl=${encodeURIComponent(returnTo)}`);
}

/**
 * For pages: the signed-in user, confirmed (see checkUser), or a redirect to
 * sign-in that comes back to `returnTo`.
 */
export async function requireUser(returnTo = '/'): Promise<CurrentUser> {
  const check = await checkUser();
  if (check.status === 'unauthorized') toSignIn(returnTo);
  // Not a redirect: the error page says to try again, and the user stays where they were.
  if (check.status === 'unavailable') throw new Error('the session cannot be confirmed while the database is unreachable');
  return check.user;
}

/** `unavailable`: the database could not confirm the role (already logged by the account lookup). */
export type AdminCheck = { status: 'ok'; user: CurrentUser } | { status: 'unauthorized' | 'forbidden' | 'unavailable' };

/**
 * For admin actions and route handlers, which answer with a state or a
 * 401 / 403 rather than a redirect. Checked here, on the server, at every
 * entry, against the role stored for the account now (a session whose
 * account was deleted is unauthorized, a demoted one forbidden). Unavailable
 * when the database cannot confirm the role: the admin area is never opened
 * on a token's word alone.
 */
export async function checkAdmin(): Promise<AdminCheck> {
  const account = await getSessionAccount();
  if (!account) return { status: 'unauthorized' };
  if (account.user.role !== 'admin') return { status: 'forbidden' };
  if (!account.verified) return { status: 'unavailable' };
  return { status: 'ok', user: account.user };
}

/**
 * For admin pages and layouts: a signed-in admin. Guests go to sign-in (and
 * come back to `returnTo`), and so does a session that no longer counts (its
 * account deleted, or signed out everywhere since); anyone else signed in, an
 * admin demoted since sign-in included, goes to the home page (sign-in would
 * send a live session straight back here).
 */
export async function requireAdmin(returnTo = '/admin'): Promise<CurrentUser> {
  const admin = await checkAdmin();
  if (admin.status === 'unauthorized') toSignIn(returnTo);
  // Not a redirect: the error page says to try again, and the admin stays where they were.
  if (admin.status === 'unavailable') throw new Error('the admin role cannot be confirmed while the database is unreachable');
  if (admin.status !== 'ok') redirect('/');
  return admin.user;
}
