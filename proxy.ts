/**
 * A convenience redirect for /admin pages and the /history list, from the
 * session JWT alone: guests to sign-in with the path and query they asked for
 * (a layout cannot see the query, so without this a filtered history link
 * came back unfiltered), non-admins home from /admin, before any page work.
 * It is never the check: every layout, page, action and route handler checks
 * the session itself, and the pages it lets through get the same path and
 * query (RETURN_TO_HEADER) for their own redirect, for a token that looks
 * valid here and is refused there (an ended session). The matcher names
 * those paths only, so uploads (server actions on "/") are never buffered by
 * the proxy.
 */
import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { env } from '~/lib/env';
import { RETURN_TO_HEADER } from '~/lib/return-to';

/** Route handlers answer 401 / 403 JSON themselves; a redirect would hide that from API clients. */
function isRouteHandler(pathname: string): boolean {
  return pathname === '/admin/export.csv' || pathname.startsWith('/admin/predictions/');
}

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  // Whatever a client sent under the header's name never reaches the app.
  const forwarded = new Headers(request.headers);
  forwarded.delete(RETURN_TO_HEADER);
  const passOn = () => NextResponse.next({ request: { headers: forwarded } });
  if (isRouteHandler(pathname)) return passOn();
  const isAdmin = pathname === '/admin' || pathname.startsWith('/admin/');
  // /history's server actions (feedback, delete) answer a guest themselves.
  if (!isAdmin && request.method !== 'GET' && request.method !== 'HEAD') return passOn();
  const returnTo = `${pathname}${search}`;
  const token = await getToken({ req: request, secret: env.NEXTAUTH_SECRET });
  if (!token) {
    const login = new URL('/login', request.url);
    login.searchParams.set('callbackUrl', returnTo);
    return NextResponse.redirect(login);
  }
  if (isAdmin && token.role !== 'admin') return NextResponse.redirect(new URL('/', request.url));
  forwarded.set(RETURN_TO_HEADER, returnTo);
  return passOn();
}

export const config = {
  matcher: ['/admin', '/admin/:path*', '/history'],
};
