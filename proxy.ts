/**
 * A convenience redirect for /admin pages, from the session JWT alone: guests
 * to sign-in, non-admins home, before any page work. It is never the check:
 * every admin layout, page, action and route handler calls requireAdmin /
 * checkAdmin itself. The matcher is /admin only, so uploads (server actions
 * on other paths) are never buffered by the proxy.
 */
import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { env } from '~/lib/env';

/** Route handlers answer 401 / 403 JSON themselves; a redirect would hide that from API clients. */
function isRouteHandler(pathname: string): boolean {
  return pathname === '/admin/export.csv' || pathname.startsWith('/admin/predictions/');
}

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (isRouteHandler(pathname)) return NextResponse.next();
  const token = await getToken({ req: request, secret: env.NEXTAUTH_SECRET });
  if (!token) {
    const login = new URL('/login', request.url);
    login.searchParams.set('callbackUrl', `${pathname}${search}`);
    return NextResponse.redirect(login);
  }
  if (token.role !== 'admin') return NextResponse.redirect(new URL('/', request.url));
  return NextResponse.next();
}

export const config = {
  matcher: ['/admin', '/admin/:path*'],
};
