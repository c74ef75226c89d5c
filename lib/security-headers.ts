/**
 * @file The HTTP security headers every response carries (next.config.ts
 * `headers()`), built here so they can be tested on their own.
 *
 * Content-Security-Policy, and why script-src has 'unsafe-inline' rather than
 * nonces: the App Router streams the RSC payload in inline <script> tags
 * (self.__next_f.push(...)), so a strict policy needs a per-request nonce,
 * which Next only applies when a proxy (middleware) sets it on every page
 * request. That would (a) put the proxy in front of the upload server action,
 * whose body it buffers and silently truncates beyond proxyClientMaxBodySize,
 * and (b) force every page to render dynamically. So PetLens allows inline
 * scripts but nothing else: no eval (outside `next dev`), no script from any
 * other origin, no plugins, no <base> hijack, forms and fetches to this origin
 * only, and no framing. React escapes everything it renders and the app has no
 * dangerouslySetInnerHTML, which is what keeps injected markup from becoming
 * an inline script in the first place.
 *
 * style-src needs 'unsafe-inline' for React `style={...}` props (the
 * probability bars, recharts). img-src allows blob: for the upload previews
 * (URL.createObjectURL) and data: for small inline images.
 */

export interface SecurityHeaderOptions {
  /** `next dev`: React's dev build uses eval and HMR uses a WebSocket. */
  dev: boolean;
  /** The site is served over https (NEXTAUTH_URL): ask browsers to upgrade stray http subresources. */
  https: boolean;
}

/** Whether the site is served over https, as NEXTAUTH_URL (the address it is reached at) says: the one rule for it. */
export function servedOverHttps(nextAuthUrl: string | undefined): boolean {
  return nextAuthUrl?.startsWith('https:') ?? false;
}

export function contentSecurityPolicy({ dev, https }: SecurityHeaderOptions): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", "'unsafe-inline'", ...(dev ? ["'unsafe-eval'"] : [])],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'blob:', 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...(dev ? ['ws:', 'wss:'] : [])],
    'worker-src': ["'self'", 'blob:'],
    'manifest-src': ["'self'"],
    'media-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'frame-src': ["'none'"],
  };
  const parts = Object.entries(directives).map(([name, values]) => `${name} ${values.join(' ')}`);
  if (https) parts.push('upgrade-insecure-requests');
  return parts.join('; ');
}

export function securityHeaders(options: SecurityHeaderOptions): { key: string; value: string }[] {
  return [
    { key: 'Content-Security-Policy', value: contentSecurityPolicy(options) },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    // For browsers that predate CSP frame-ancestors.
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'Permissions-Policy', value: 'camera=(self), microphone=(), geolocation=()' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
    ...(options.https ? [{ key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' }] : []),
  ];
}
