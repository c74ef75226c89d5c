/**
 * Hands the /admin pages, the /history list and a prediction's page (whose
 * query names the list page it was opened from) the path and query they were
 * asked for (RETURN_TO_HEADER), for their layouts' sign-in redirects: a
 * layout cannot see the query, so without it a filtered link came back to
 * the bare page. The layouts redirect (guests to sign-in with that path,
 * non-admins home), from the account as stored now: a redirect decided here
 * from the JWT alone would tell the holder of a signed-out copy of a token
 * whether it was an admin's (sign-in for an admin's, home for a user's). The
 * matcher names those paths only, so uploads (server actions on "/") are
 * never buffered by the proxy.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { RETURN_TO_HEADER } from '~/lib/return-to';

/** Route handlers answer 401 / 403 JSON themselves and redirect nobody: no path to record. */
function isRouteHandler(pathname: string): boolean {
  return pathname === '/admin/export.csv' || pathname.startsWith('/admin/predictions/');
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  // Whatever a client sent under the header's name never reaches the app.
  const forwarded = new Headers(request.headers);
  forwarded.delete(RETURN_TO_HEADER);
  if (!isRouteHandler(pathname)) forwarded.set(RETURN_TO_HEADER, `${pathname}${search}`);
  return NextResponse.next({ request: { headers: forwarded } });
}

export const config = {
  // '/history/:id' is one segment: a prediction's page, not its thumbnail route below it.
  matcher: ['/admin', '/admin/:path*', '/history', '/history/:id'],
};
