/**
 * Hands the /admin pages and the /history list the path and query they were
 * asked for (RETURN_TO_HEADER), for their layouts' sign-in redirects: a
 * layout cannot see the query, so without it a filtered history link came
 * back unfiltered. On /admin it also redirects from the session JWT alone,
 * before any page work: guests to sign-in with that path, non-admins home.
 * It is never the check: every layout, page, action and route handler checks
 * the session itself. The matcher names those paths only, so uploads (server
 * actions on "/") are never buffered by the proxy.
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
  const returnTo = `${pathname}${search}`;
  forwarded.set(RETURN_TO_HEADER, returnTo);
  // /history: its layout sends a guest to sign-in (with this path) and its server actions answer one themselves.
  if (pathname === '/history') return passOn();
  const token = await getToken({ req: request, secret: env.NEXTAUTH_SECRET });
  if (!token) {
    const login = new URL('/login', request.url);
    login.searchParams.set('callbackUrl', returnTo);
    return NextResponse.redirect(login);
  }
  if (token.role !== 'admin') return NextResponse.redirect(new URL('/', request.url));
  return passOn();
}

export const config = {
  matcher: ['/admin', '/admin/:path*', '/history'],
};
